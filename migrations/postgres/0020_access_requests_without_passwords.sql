-- Access requests no longer carry a password: nobody proved the address it was set for. Approving
-- sends an invitation, whose emailed link does. Passwords of requests still waiting are dropped.
UPDATE access_requests SET password_hash = NULL;
