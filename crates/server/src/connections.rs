//! The connection loop: hyper's HTTP/1.1 server, as `axum::serve` runs it, plus what that does not
//! offer: a header read timeout (a client that trickles its headers is cut off) and a shutdown
//! that waits for the requests in flight at most a deadline.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::ServiceExt;

/// How the loop ended.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stopped {
    /// Every request in flight was answered.
    Finished,
    /// The deadline passed with connections still open; they are dropped.
    DeadlinePassed,
}

/// Serves `router` on `listener` until `stop` resolves, then lets the requests in flight finish
/// within `deadline`. At most `max_connections` are open at once: the next is accepted when one
/// closes.
pub(crate) async fn run(
    listener: TcpListener,
    router: Router,
    read_timeout: Duration,
    deadline: Duration,
    max_connections: usize,
    stop: impl Future<Output = ()>,
) -> Stopped {
    let open = std::sync::Arc::new(tokio::sync::Semaphore::new(max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(read_timeout);
    let mut stop = std::pin::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(permit) => permit,
                Err(_) => break,
            },
            () = &mut stop => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait for some to close.
                    tracing::warn!(error = %e, "cannot accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut stop => break,
        };
        let service = router
            .clone()
            .map_request(move |request: Request<Incoming>| {
                let mut request = request.map(Body::new);
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                request
            });
        let connection =
            http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, client = %peer.ip(), "connection ended with an error");
            }
            drop(permit);
        });
    }
    // No new connections; idle ones close now, busy ones after their answer.
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => Stopped::Finished,
        () = tokio::time::sleep(deadline) => Stopped::DeadlinePassed,
    }
}
