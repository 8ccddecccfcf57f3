//! Who is on the other end of a request: the client's address (for rate limits and logs) and
//! whether the page was reached over HTTPS (for `Secure` cookies).
//!
//! The TCP peer is the client, unless it is one of the `--trusted-proxy` networks: then, and only
//! then, the proxy's `X-Forwarded-For` and `X-Forwarded-Proto` are believed. Anyone can send
//! those headers; a receiver that believed them from everyone would let a spammer pick a new
//! address per post.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;
use ipnet::IpNet;

/// The networks whose forwarding headers are believed (`--trusted-proxy`).
#[derive(Clone, Debug, Default)]
pub struct TrustedProxies(pub Vec<IpNet>);

impl TrustedProxies {
    /// Whether `addr` is one of the trusted proxies.
    pub fn contains(&self, addr: &IpAddr) -> bool {
        self.0.iter().any(|net| net.contains(addr))
    }
}

/// Reads `--trusted-proxy` values: an address (`10.0.0.7`) or a network (`10.0.0.0/8`).
pub fn parse_trusted_proxy(text: &str) -> Result<IpNet, String> {
    text.parse::<IpNet>()
        .or_else(|_| text.parse::<IpAddr>().map(IpNet::from))
        .map_err(|_| {
            format!("--trusted-proxy {text:?}: expected an address (10.0.0.7) or a network (10.0.0.0/8)")
        })
}

/// The client of one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Client {
    /// The client's address: the TCP peer, or what a trusted proxy says.
    pub addr: IpAddr,
    /// Whether the client reached the receiver over HTTPS (through a trusted proxy that says
    /// so: the receiver itself speaks plain HTTP).
    pub https: bool,
}

impl Client {
    /// The client of a request from `peer` with these headers.
    pub fn of(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> Client {
        if !trusted.contains(&peer) {
            return Client {
                addr: peer,
                https: false,
            };
        }
        // Each proxy appends the address it was reached from: read from the right, and the
        // first address that is not a trusted proxy is the client.
        let forwarded: Vec<IpAddr> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|a| a.trim().parse().ok())
            .collect();
        let addr = forwarded
            .iter()
            .rev()
            .find(|a| !trusted.contains(a))
            .or(forwarded.first())
            .copied()
            .unwrap_or(peer);
        // The proxy nearest the receiver appends last.
        let https = headers
            .get_all("x-forwarded-proto")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .next_back()
            .is_some_and(|proto| proto.trim().eq_ignore_ascii_case("https"));
        Client { addr, https }
    }
}

/// The extractor: needs the router served with `into_make_service_with_connect_info` and a
/// [`TrustedProxies`] extension.
impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
        let trusted = parts
            .extensions
            .get::<TrustedProxies>()
            .cloned()
            .unwrap_or_default();
        Ok(Client::of(peer, &parts.headers, &trusted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn trusted(nets: &[&str]) -> TrustedProxies {
        TrustedProxies(
            nets.iter()
                .map(|n| parse_trusted_proxy(n).unwrap())
                .collect(),
        )
    }

    #[test]
    fn forwarding_headers_from_anyone_else_are_ignored() {
        let peer: IpAddr = "203.0.113.9".parse().unwrap();
        let sent = headers(&[
            ("x-forwarded-for", "198.51.100.1"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = Client::of(peer, &sent, &trusted(&["10.0.0.0/8"]));
        assert_eq!(
            client,
            Client {
                addr: peer,
                https: false
            }
        );
    }

    #[test]
    fn a_trusted_proxy_names_the_client_and_the_scheme() {
        let proxy: IpAddr = "10.0.0.7".parse().unwrap();
        // The client forged the first entry; the proxy appended the real one.
        let sent = headers(&[
            ("x-forwarded-for", "1.2.3.4, 198.51.100.1"),
            ("x-forwarded-proto", "https"),
        ]);
        let client = Client::of(proxy, &sent, &trusted(&["10.0.0.7"]));
        assert_eq!(client.addr, "198.51.100.1".parse::<IpAddr>().unwrap());
        assert!(client.https);
        // Two proxies in a row, both trusted.
        let sent = headers(&[("x-forwarded-for", "198.51.100.1, 10.0.0.8")]);
        let client = Client::of(proxy, &sent, &trusted(&["10.0.0.0/8"]));
        assert_eq!(client.addr, "198.51.100.1".parse::<IpAddr>().unwrap());
        assert!(!client.https);
        // No header: the proxy itself.
        assert_eq!(
            Client::of(proxy, &HeaderMap::new(), &trusted(&["10.0.0.7"])).addr,
            proxy
        );
    }

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        assert!(parse_trusted_proxy("10.0.0.7").is_ok());
        assert!(parse_trusted_proxy("10.0.0.0/8").is_ok());
        assert!(parse_trusted_proxy("::1").is_ok());
        assert!(parse_trusted_proxy("proxy.example")
            .unwrap_err()
            .contains("--trusted-proxy"));
    }
}
