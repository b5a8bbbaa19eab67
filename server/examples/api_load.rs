//! Open-loop, fixed-rate HTTP load for `make bench` (.ci/bench.sh's API rows). wrk is closed-loop:
//! a slow answer delays the next request, so it can neither hold a rate nor see the wait a real
//! client would have had. Here request `n` is due at `start + n / rate` whatever happened before,
//! and its latency runs from that due time to the end of its answer (coordinated omission counted).
//! A pacer thread sends on schedule into a tokio runtime, at most `--concurrency` requests in
//! flight; a request due while all are busy is not sent, and counted as such.
//! `--closed N` instead keeps N requests going back to back (wrk's way) to find the capacity.
//! Prints one JSON object on stdout.
//!
//! ```sh
//! cargo run --release -p server --example api_load -- --url http://127.0.0.1:3000/healthz
//! api_load --url http://127.0.0.1:3000/api/v1 --method POST --rate 500 --seconds 10 \
//!     -H 'Authorization: Bearer …' -H 'Content-Type: application/json' --run r1 \
//!     --body '{"action":"inviteLearners","options":{"send_email":false,"learners":[{"email":"bench-{run}-{n}@example.com"}]}}' \
//!     --expect '"status":"invited"'
//! ```
//!
//! In `--body`, `{run}` becomes `--run` and `{n}` the request's number (warm-up included, so
//! every request of a run has its own). Without `{n}` every request is the same.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::json;
use tokio::sync::{Semaphore, mpsc};

const USAGE: &str = "usage: api_load --url URL [--method GET|POST] [--rate N/s (500) | --closed N] \
[--seconds S (10)] [--warmup S (1)] [--concurrency N (256)] [--timeout S (10)] \
[-H 'Name: value']... [--body TEMPLATE] [--run TAG] [--expect SUBSTRING] [--threads N (1)] \
[--trace FILE]";

struct Args {
    url: String,
    method: reqwest::Method,
    rate: f64,
    /// Closed loop with this many requests going at once, instead of a rate.
    closed: Option<usize>,
    seconds: f64,
    warmup: f64,
    concurrency: usize,
    timeout: Duration,
    headers: HeaderMap,
    body: Option<String>,
    run: String,
    expect: Option<String>,
    threads: usize,
    /// `--trace`: every measured request's due time and latency, a line each.
    trace: Option<std::path::PathBuf>,
}

fn parse_args() -> Result<Args, String> {
    let mut a = Args {
        url: String::new(),
        method: reqwest::Method::GET,
        rate: 500.0,
        closed: None,
        seconds: 10.0,
        warmup: 1.0,
        concurrency: 256,
        timeout: Duration::from_secs(10),
        headers: HeaderMap::new(),
        body: None,
        run: "run".into(),
        expect: None,
        threads: 1,
        trace: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
                .ok_or_else(|| format!("{flag}: not a number: {v}"))
        };
        match flag.as_str() {
            "--url" => a.url = value()?,
            "--method" => a.method = value()?.parse().map_err(|e| format!("--method: {e}"))?,
            "--rate" => a.rate = number(value()?)?,
            "--closed" => a.closed = Some(number(value()?)? as usize),
            "--seconds" => a.seconds = number(value()?)?,
            "--warmup" => a.warmup = number(value()?)?,
            "--concurrency" => a.concurrency = number(value()?)? as usize,
            "--timeout" => a.timeout = Duration::from_secs_f64(number(value()?)?),
            "--threads" => a.threads = number(value()?)? as usize,
            "-H" | "--header" => {
                let h = value()?;
                let (name, v) = h
                    .split_once(':')
                    .ok_or_else(|| format!("header without ':': {h}"))?;
                let name = HeaderName::from_bytes(name.trim().as_bytes())
                    .map_err(|e| format!("header name {name:?}: {e}"))?;
                let v = HeaderValue::from_str(v.trim())
                    .map_err(|e| format!("header value of {name}: {e}"))?;
                a.headers.append(name, v);
            }
            "--body" => a.body = Some(value()?),
            "--run" => a.run = value()?,
            "--expect" => a.expect = Some(value()?),
            "--trace" => a.trace = Some(value()?.into()),
            "-h" | "--help" => return Err(USAGE.into()),
            other => return Err(format!("unknown argument {other}\n{USAGE}")),
        }
    }
    if a.url.is_empty() {
        return Err(format!("--url is required\n{USAGE}"));
    }
    if !(1.0..=100_000.0).contains(&a.rate) {
        return Err("--rate must be 1..100000 requests/s".into());
    }
    if !(a.seconds > 0.0 && a.seconds <= 120.0 && a.warmup <= 30.0) {
        return Err(
            "--seconds must be in (0, 120] and --warmup at most 30 (runs are bounded)".into(),
        );
    }
    if a.concurrency == 0 || a.threads == 0 || a.closed == Some(0) {
        return Err("--concurrency, --closed and --threads must be at least 1".into());
    }
    Ok(a)
}

/// Builds request number `n`.
struct Template {
    client: reqwest::Client,
    method: reqwest::Method,
    url: String,
    body: Option<String>,
    run: String,
    /// `--expect`: a 2xx answer whose body lacks it is counted as unexpected.
    expect: Option<String>,
}

impl Template {
    fn request(&self, n: u64) -> reqwest::RequestBuilder {
        let req = self.client.request(self.method.clone(), self.url.as_str());
        match &self.body {
            Some(t) => req.body(t.replace("{run}", &self.run).replace("{n}", &n.to_string())),
            None => req,
        }
    }

    /// Sends and reads the whole answer.
    async fn exchange(&self, req: reqwest::RequestBuilder) -> Outcome {
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return Outcome::Failed(e.to_string()),
        };
        let status = resp.status().as_u16();
        match resp.bytes().await {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes);
                let expected = self.expect.as_deref().is_none_or(|e| text.contains(e));
                let keep = !(200..300).contains(&status) || !expected;
                let sample = keep.then(|| text.chars().take(300).collect());
                Outcome::Answer {
                    status,
                    expected,
                    sample,
                }
            }
            Err(e) => Outcome::Failed(format!("reading the body: {e}")),
        }
    }
}

/// What became of one request that was sent.
enum Outcome {
    /// An answer: its status, whether its body held `--expect` (true without it), and the start
    /// of the body when it was not a good answer.
    Answer {
        status: u16,
        expected: bool,
        sample: Option<String>,
    },
    /// No answer: connection refused or reset, timeout, …
    Failed(String),
}

struct Sample {
    measured: bool,
    /// Open loop: from the due time to the end of the answer (or the failure). Closed loop: from
    /// sending.
    latency: Duration,
    /// From the due time until the request's task started to send it: the generator's own delay.
    lag: Duration,
    done: Instant,
    outcome: Outcome,
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("api_load: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build();
    let client = reqwest::Client::builder()
        .no_proxy()
        .tcp_nodelay(true)
        .pool_max_idle_per_host(args.concurrency.max(args.closed.unwrap_or(0)))
        .timeout(args.timeout)
        .default_headers(args.headers.clone())
        .build();
    let (runtime, client) = match (runtime, client) {
        (Ok(r), Ok(c)) => (r, c),
        (Err(e), _) => {
            eprintln!("api_load: no tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
        (_, Err(e)) => {
            eprintln!("api_load: no HTTP client: {e}");
            return ExitCode::FAILURE;
        }
    };
    let template = Arc::new(Template {
        client,
        method: args.method.clone(),
        url: args.url.clone(),
        body: args.body.clone(),
        run: args.run.clone(),
        expect: args.expect.clone(),
    });
    // The wall clock at an instant, to write due times as the server's log writes its events.
    let clock = (std::time::SystemTime::now(), Instant::now());
    let start = Instant::now() + Duration::from_millis(50);
    let measured_from = start + Duration::from_secs_f64(args.warmup);
    let (samples, not_sent, max_in_flight) = match args.closed {
        None => open_loop(&args, &runtime, template, start),
        Some(n) => {
            let end = measured_from + Duration::from_secs_f64(args.seconds);
            (closed_loop(n, &runtime, template, measured_from, end), 0, n)
        }
    };
    if let Some(path) = &args.trace
        && let Err(e) = write_trace(path, &samples, clock)
    {
        eprintln!("api_load: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    println!(
        "{}",
        report(&args, samples, not_sent, max_in_flight, measured_from)
    );
    ExitCode::SUCCESS
}

/// Request `n` due at `start + n / rate`. Returns the samples, how many measured requests could
/// not be sent (all `--concurrency` slots busy) and the most in flight at once.
fn open_loop(
    args: &Args,
    runtime: &tokio::runtime::Runtime,
    template: Arc<Template>,
    start: Instant,
) -> (Vec<Sample>, u64, usize) {
    let interval = 1.0 / args.rate;
    let warm_n = (args.warmup * args.rate).round() as u64;
    let total = warm_n + (args.seconds * args.rate).round() as u64;
    let slots = Arc::new(Semaphore::new(args.concurrency));
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (tx, mut rx) = mpsc::unbounded_channel::<Sample>();
    let handle = runtime.handle().clone();
    // The pacer: an OS thread sleeping until each due time (nanosleep, ~50 µs of slack) rather
    // than tokio's millisecond timer wheel, which would add up to a millisecond to every request.
    let pacer = {
        let (in_flight, most) = (in_flight.clone(), most.clone());
        std::thread::spawn(move || {
            let mut not_sent = 0u64;
            for n in 0..total {
                let due = start + Duration::from_secs_f64(n as f64 * interval);
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                let measured = n >= warm_n;
                let Ok(permit) = slots.clone().try_acquire_owned() else {
                    not_sent += u64::from(measured);
                    continue;
                };
                most.fetch_max(
                    in_flight.fetch_add(1, Ordering::Relaxed) + 1,
                    Ordering::Relaxed,
                );
                let req = template.request(n);
                let (tx, template, in_flight) = (tx.clone(), template.clone(), in_flight.clone());
                handle.spawn(async move {
                    let lag = due.elapsed();
                    let outcome = template.exchange(req).await;
                    let done = Instant::now();
                    drop(permit);
                    in_flight.fetch_sub(1, Ordering::Relaxed);
                    let latency = done - due;
                    let _ = tx.send(Sample {
                        measured,
                        latency,
                        lag,
                        done,
                        outcome,
                    });
                });
            }
            not_sent
        })
    };
    let samples = runtime.block_on(async move {
        let mut all = Vec::new();
        while let Some(s) = rx.recv().await {
            all.push(s);
        }
        all
    });
    let not_sent = pacer.join().unwrap_or(0);
    (samples, not_sent, most.load(Ordering::Relaxed))
}

/// `n` requests going back to back until `end`; those sent before `measured_from` are warm-up.
fn closed_loop(
    n: usize,
    runtime: &tokio::runtime::Runtime,
    template: Arc<Template>,
    measured_from: Instant,
    end: Instant,
) -> Vec<Sample> {
    let counter = Arc::new(AtomicU64::new(0));
    runtime.block_on(async move {
        let mut workers = tokio::task::JoinSet::new();
        for _ in 0..n {
            let (template, counter) = (template.clone(), counter.clone());
            workers.spawn(async move {
                let mut mine = Vec::new();
                tokio::time::sleep_until((measured_from - Duration::from_millis(1)).into()).await;
                loop {
                    let sent = Instant::now();
                    if sent >= end {
                        return mine;
                    }
                    let req = template.request(counter.fetch_add(1, Ordering::Relaxed));
                    let outcome = template.exchange(req).await;
                    let done = Instant::now();
                    let measured = sent >= measured_from;
                    mine.push(Sample {
                        measured,
                        latency: done - sent,
                        lag: Duration::ZERO,
                        done,
                        outcome,
                    });
                }
            });
        }
        let mut all = Vec::new();
        while let Some(done) = workers.join_next().await {
            all.extend(done.unwrap_or_default());
        }
        all
    })
}

/// Nearest-rank percentile of sorted durations, in milliseconds (3 decimals).
fn pct_ms(sorted: &[Duration], p: f64) -> Option<f64> {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    let d = sorted.get(rank.clamp(1, sorted.len().max(1)) - 1)?;
    Some((d.as_secs_f64() * 1e6).round() / 1e3)
}

fn summary(mut v: Vec<Duration>) -> serde_json::Value {
    v.sort_unstable();
    let mean = (!v.is_empty())
        .then(|| (v.iter().sum::<Duration>().as_secs_f64() * 1e6 / v.len() as f64).round() / 1e3);
    json!({
        "p50": pct_ms(&v, 50.0), "p90": pct_ms(&v, 90.0), "p95": pct_ms(&v, 95.0),
        "p99": pct_ms(&v, 99.0), "p999": pct_ms(&v, 99.9), "max": pct_ms(&v, 100.0), "mean": mean,
    })
}

/// `--trace`: a line per measured request, `due<TAB>latency<TAB>status`: when it was due (Unix time
/// in ms, from the wall clock `clock` read beside its instant), how long until its answer (ms) and
/// the HTTP status (0: failed). Slow answers can then be lined up with the server's log.
fn write_trace(
    path: &std::path::Path,
    samples: &[Sample],
    (wall, at): (std::time::SystemTime, Instant),
) -> std::io::Result<()> {
    use std::io::Write;
    let wall_ms = wall
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(std::io::Error::other)?
        .as_secs_f64()
        * 1000.0;
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    writeln!(out, "due_unix_ms\tlatency_ms\tstatus")?;
    for s in samples.iter().filter(|s| s.measured) {
        let due = s.done - s.latency;
        // Every request is due after `at` (read before the run starts).
        let due_ms = wall_ms + due.saturating_duration_since(at).as_secs_f64() * 1000.0;
        let status = match s.outcome {
            Outcome::Answer { status, .. } => status,
            Outcome::Failed(_) => 0,
        };
        writeln!(
            out,
            "{due_ms:.3}\t{:.3}\t{status}",
            s.latency.as_secs_f64() * 1000.0
        )?;
    }
    out.flush()
}

fn report(
    args: &Args,
    samples: Vec<Sample>,
    not_sent: u64,
    max_in_flight: usize,
    measured_from: Instant,
) -> serde_json::Value {
    let (mut latencies, mut lags) = (Vec::new(), Vec::new());
    let (mut sent, mut ok, mut unexpected, mut failed) = (0u64, 0u64, 0u64, 0u64);
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    let mut failures: BTreeMap<String, u64> = BTreeMap::new();
    let mut bad_sample: Option<String> = None;
    let mut last_done = measured_from;
    let sent_total = samples.len();
    for s in samples.into_iter().filter(|s| s.measured) {
        sent += 1;
        lags.push(s.lag);
        last_done = last_done.max(s.done);
        match s.outcome {
            Outcome::Answer {
                status,
                expected,
                sample,
            } => {
                latencies.push(s.latency);
                if (200..300).contains(&status) {
                    ok += 1;
                    unexpected += u64::from(!expected);
                } else {
                    *by_status.entry(status.to_string()).or_default() += 1;
                }
                if bad_sample.is_none() {
                    bad_sample = sample.map(|b| format!("{status}: {b}"));
                }
            }
            Outcome::Failed(e) => {
                failed += 1;
                *failures.entry(e.chars().take(200).collect()).or_default() += 1;
            }
        }
    }
    let round1 = |x: f64| (x * 10.0).round() / 10.0;
    // Throughput over the measured window, or longer when the last answers came after it.
    let window = (last_done - measured_from).as_secs_f64().max(args.seconds);
    json!({
        "url": args.url,
        "method": args.method.as_str(),
        "mode": if args.closed.is_some() { "closed" } else { "open" },
        "target_rate": args.closed.is_none().then_some(args.rate),
        "connections": args.closed,
        "seconds": args.seconds,
        "warmup_seconds": args.warmup,
        "concurrency": args.closed.unwrap_or(args.concurrency),
        "scheduled": args.closed.is_none().then(|| (args.seconds * args.rate).round() as u64),
        "sent": sent,
        "sent_with_warmup": sent_total,
        "not_sent": not_sent,
        "ok": ok,
        "non_2xx": by_status,
        "errors": failed,
        "error_kinds": failures,
        "unexpected_body": unexpected,
        "bad_answer_sample": bad_sample,
        "achieved_rate": round1(sent as f64 / args.seconds),
        "throughput_ok": round1(ok as f64 / window),
        "max_in_flight": max_in_flight,
        "latency_ms": summary(latencies),
        "send_lag_ms": summary(lags),
    })
}
