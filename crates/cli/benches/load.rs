//! Load benchmark for `deskform serve`, bounded and on loopback only: a fixed number of
//! inquiries from a fixed number of concurrent clients, each signed in (so every request also
//! reads its session) and each on its own connection. It checks that N submissions are exactly
//! N rows, and that a burst of copies of one inquiry is one row; it prints throughput and
//! latency percentiles, then restarts the server and checks every row is still there. Figures, never pass/fail thresholds: this machine may be noisy.
//!
//! `cargo xtask bench` runs it; DESKFORM_LOAD_N and DESKFORM_LOAD_CONCURRENCY change the load.

#[path = "../tests/support/mod.rs"]
mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use support::{inquiry, temp_db, Server};

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index].as_secs_f64() * 1000.0
}

fn main() {
    // `cargo bench` passes `--bench`; a filter that names another benchmark skips this one.
    if std::env::args()
        .skip(1)
        .any(|a| !a.starts_with('-') && !"load".contains(&a))
    {
        return;
    }
    let n = setting("DESKFORM_LOAD_N", 10_000);
    let concurrency = setting("DESKFORM_LOAD_CONCURRENCY", 32);
    let (_dir, db) = temp_db();
    let server = Arc::new(Server::start(&db));
    let cookie = Arc::new(server.sign_in("business"));

    // Warm-up: connections, the page cache, SQLite's first pages.
    let warm_up = 100;
    for i in 0..warm_up {
        assert_eq!(
            server
                .post_json(Some(&cookie), &inquiry("usage", n + i))
                .status,
            201
        );
    }

    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..concurrency)
        .map(|_| {
            let (server, cookie, next) = (server.clone(), cookie.clone(), next.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= n {
                        return latencies;
                    }
                    let sent = Instant::now();
                    let reply = server.post_json(Some(&cookie), &inquiry("usage", i));
                    assert_eq!(reply.status, 201, "{}", reply.body);
                    latencies.push(sent.elapsed());
                }
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = clients
        .into_iter()
        .flat_map(|c| c.join().unwrap())
        .collect();
    let elapsed = started.elapsed();
    latencies.sort();
    let rows = server.stored() as usize;
    assert_eq!(
        rows,
        n + warm_up,
        "{n} submissions must be exactly {n} rows"
    );

    // A burst of copies of one inquiry (double clicks, retries racing): one row.
    let copies = concurrency.max(2);
    let start = Arc::new(Barrier::new(copies));
    let burst: Vec<_> = (0..copies)
        .map(|_| {
            let (server, cookie, start) = (server.clone(), cookie.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                server
                    .post_json(Some(&cookie), &inquiry("usage", n + warm_up))
                    .status
            })
        })
        .collect();
    let created = burst
        .into_iter()
        .map(|b| b.join().unwrap())
        .filter(|status| *status == 201)
        .count();
    assert_eq!(created, 1);
    assert_eq!(server.stored() as usize, rows + 1);

    // Every row answered 201 is there after a restart (the test does this with 1,000).
    let server = Arc::into_inner(server).expect("every client is done");
    assert!(server.stop().success());
    let restarted = Instant::now();
    let server = Server::start(&db);
    let restart = restarted.elapsed();
    assert_eq!(server.stored() as usize, rows + 1, "rows lost in a restart");
    drop(cookie);

    println!("deskform serve load (loopback, signed-in business session, one connection per request, SQLite WAL, synchronous=FULL)");
    println!(
        "  {n} inquiries from {concurrency} concurrent clients in {:.2} s: {:.0} inquiries/s",
        elapsed.as_secs_f64(),
        n as f64 / elapsed.as_secs_f64()
    );
    println!(
        "  latency: p50 {:.2} ms, p90 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.90),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0)
    );
    println!("  rows: exactly {n} (+{warm_up} warm-up); {copies} simultaneous copies of one inquiry: 1 row");
    println!(
        "  restart: every one of the {} rows there again; ready in {:.0} ms",
        rows + 1,
        restart.as_secs_f64() * 1000.0
    );
}
