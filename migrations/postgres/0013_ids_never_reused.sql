-- SQLite's migration of this number gives its tables AUTOINCREMENT so that ids are never reused.
-- PostgreSQL identity columns never hand out a value twice: nothing to change here.
SELECT 1;
