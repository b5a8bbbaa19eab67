//! The HTTP listener: accepts connections and serves the router on each, with the bounds a public
//! server needs. Hand-written around hyper's HTTP/1 connection because `axum::serve` has none of
//! them: it gives hyper no timer (so hyper's header-read timeout never fires), reads bodies for as
//! long as the client likes, takes any number of connections, and at shutdown waits for every
//! connection to finish. Measured on a release build before this: one client holding a half-sent
//! request kept a SIGTERM'd server from exiting, refusing every new connection, for more than
//! 300 s, until it was killed.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::{Router, body::Body, extract::ConnectInfo};
use hyper::{body::Incoming, server::conn::http1, service::service_fn};
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
};
use tokio::{net::TcpListener, sync::Semaphore};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// What one connection and the whole listener may take.
#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    /// A client must send a request's headers (the blank line included) within this long, and an
    /// idle kept-alive connection is closed after it.
    pub header_read: Duration,
    /// A request body may pause this long between two pieces; a body shorter than its
    /// `Content-Length` ends in an error after it instead of holding its connection for good.
    pub body_read: Duration,
    /// Connections served at once; further ones wait in the kernel's backlog until one closes
    /// (each costs a task and buffers, and a flood of idle ones must not use up file descriptors).
    pub max_connections: usize,
    /// Once told to stop: how long requests in flight may take before the listener returns.
    pub grace: Duration,
}

impl Bounds {
    /// Shoal's: 10 s for headers, 30 s between pieces of a body, 1,024 connections, and the
    /// configured shutdown grace (`SHOAL_SHUTDOWN_SECONDS`).
    pub fn standard(grace: Duration) -> Bounds {
        Bounds {
            header_read: Duration::from_secs(10),
            body_read: Duration::from_secs(30),
            max_connections: 1024,
            grace,
        }
    }
}

/// Serves `router` on `listener` until `shutdown` resolves; then takes no new connection, lets
/// requests in flight finish for up to `bounds.grace`, and returns (the caller exits, which
/// closes whatever is still open).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    bounds: Bounds,
    shutdown: impl std::future::Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(bounds.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(bounds.header_read);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait a little rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = service_fn(move |mut req: hyper::Request<Incoming>| {
            // What `into_make_service_with_connect_info` would add: the limiters start from it.
            req.extensions_mut().insert(ConnectInfo::<SocketAddr>(peer));
            let req = req.map(|body| Body::new(TimeoutBody::new(bounds.body_read, body)));
            router.clone().oneshot(req)
        });
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        "no longer accepting connections; requests in flight have {} s to finish",
        bounds.grace.as_secs()
    );
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(bounds.grace) => {
            tracing::warn!("shutdown deadline reached: closing the connections still open");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use axum::routing::{get, post};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    const SHORT: Bounds = Bounds {
        header_read: Duration::from_millis(300),
        body_read: Duration::from_millis(300),
        max_connections: 2,
        grace: Duration::from_millis(300),
    };

    /// A listener with `bounds` on a free port, a route that echoes the body's length, and a
    /// switch to stop it; returns its address, the switch and the task.
    async fn start(
        bounds: Bounds,
    ) -> (
        SocketAddr,
        tokio::sync::oneshot::Sender<()>,
        tokio::task::JoinHandle<()>,
    ) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = Router::new().route("/", get(|| async { "ok" })).route(
            "/echo",
            post(|body: String| async move { body.len().to_string() }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(serve(listener, router, bounds, async {
            let _ = stopped.await;
        }));
        (addr, stop, task)
    }

    /// Everything the server sends until it closes the connection (or `limit` passes: `None`).
    async fn until_closed(stream: &mut tokio::net::TcpStream, limit: Duration) -> Option<String> {
        let mut got = Vec::new();
        tokio::time::timeout(limit, stream.read_to_end(&mut got))
            .await
            .ok()
            .map(|_| String::from_utf8_lossy(&got).into_owned())
    }

    #[tokio::test]
    async fn headers_without_their_blank_line_are_cut_off_after_the_header_timeout() {
        let (addr, _stop, _task) = start(SHORT).await;
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n")
            .await
            .unwrap();
        let started = Instant::now();
        assert!(
            until_closed(&mut stream, Duration::from_secs(5))
                .await
                .is_some()
        );
        assert!(
            started.elapsed() >= Duration::from_millis(250),
            "{:?}",
            started.elapsed()
        );
    }

    #[tokio::test]
    async fn a_body_shorter_than_its_content_length_is_cut_off_after_the_body_timeout() {
        let (addr, _stop, _task) = start(SHORT).await;
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly ten b")
            .await
            .unwrap();
        let answer = until_closed(&mut stream, Duration::from_secs(5))
            .await
            .expect("closed");
        assert!(!answer.contains("200 OK"), "{answer}");
    }

    #[tokio::test]
    async fn connections_beyond_the_cap_wait_until_one_closes() {
        let (addr, _stop, _task) = start(Bounds {
            header_read: Duration::from_secs(30),
            ..SHORT
        })
        .await;
        let mut held = vec![];
        for _ in 0..2 {
            let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
            s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
                .await
                .unwrap();
            let mut buf = [0u8; 256];
            let n = s.read(&mut buf).await.unwrap();
            assert!(String::from_utf8_lossy(&buf[..n]).contains("200 OK"));
            held.push(s);
        }
        // A third: connected by the kernel, but not served while two are open.
        let mut third = tokio::net::TcpStream::connect(addr).await.unwrap();
        third
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        assert_eq!(
            until_closed(&mut third, Duration::from_millis(500)).await,
            None
        );
        drop(held.pop());
        let answer = until_closed(&mut third, Duration::from_secs(5))
            .await
            .expect("served");
        assert!(answer.contains("200 OK"), "{answer}");
    }

    #[tokio::test]
    async fn a_stop_waits_for_requests_in_flight_no_longer_than_the_grace() {
        let (addr, stop, task) = start(Bounds {
            header_read: Duration::from_secs(30),
            body_read: Duration::from_secs(30),
            ..SHORT
        })
        .await;
        // A request whose body never comes: in flight for good.
        let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
        stream
            .write_all(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nten bytes.")
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(100)).await;
        let started = Instant::now();
        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .expect("the listener returned")
            .unwrap();
        let took = started.elapsed();
        assert!(took >= SHORT.grace && took < SHORT.grace * 4, "{took:?}");
        // New connections are refused from then on.
        assert!(tokio::net::TcpStream::connect(addr).await.is_err());
    }
}
