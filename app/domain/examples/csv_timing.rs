//! Times `csv_import::open` and checking every row of a file natively (release build):
//! `cargo run --release -p domain --example csv_timing FILE.csv`. The browser's numbers come from
//! `.ci/bench-csv-browser.sh`.

use domain::csv_import::{Caps, open};
use std::time::Instant;
fn main() {
    let bytes = std::fs::read(std::env::args().nth(1).unwrap()).unwrap();
    for _ in 0..3 {
        let t = Instant::now();
        let mut p = open(bytes.clone(), &Caps::default()).unwrap();
        let t1 = t.elapsed();
        p.check_more(usize::MAX);
        let t2 = t.elapsed();
        println!("open {:?} check {:?} rows {}", t1, t2 - t1, p.rows.len());
    }
}
