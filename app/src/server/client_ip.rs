//! Which client is this: the address every rate limit counts. The socket peer, unless the peer is
//! one of `SHOAL_TRUSTED_PROXIES`; then the address that proxy says it relayed for. IPv6 clients
//! count by their /64, the block one household or server gets.

use std::net::{IpAddr, Ipv6Addr};

use http::HeaderMap;
use ipnet::IpNet;

/// `SHOAL_TRUSTED_PROXIES`: the reverse proxies (addresses or CIDR blocks) whose forwarding
/// headers are believed. None by default: a forwarding header from anyone else is the client's
/// own words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// `"10.0.0.1, 10.1.0.0/16, fd00::/8"`; empty means none.
    pub fn parse(text: &str) -> Result<TrustedProxies, String> {
        let mut nets = vec![];
        for item in text.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let net = item
                .parse::<IpNet>()
                .or_else(|_| item.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| {
                    format!(
                        "SHOAL_TRUSTED_PROXIES must list IP addresses or CIDR blocks separated by commas \
                         (e.g. 10.0.0.1, 10.1.0.0/16), and {item:?} is neither"
                    )
                })?;
            nets.push(net.trunc());
        }
        Ok(TrustedProxies(nets))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.0.iter().any(|net| net.contains(&ip))
    }
}

/// The client's address: the socket peer, or, when the peer is a trusted proxy, the right-most
/// address in `X-Forwarded-For` that is not a trusted proxy itself (each proxy appends the address
/// it got the request from, so everything left of that was written by the client and proves
/// nothing). Without `X-Forwarded-For`, the `for=` parameters of `Forwarded` are read the same way.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.trusts(peer) {
        return peer;
    }
    let hops = forwarded_hops(headers);
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop {
            Some(ip) => {
                client = ip.to_canonical();
                if !trusted.trusts(client) {
                    break;
                }
            }
            // An obfuscated or unreadable hop: the proxies before it cannot be followed further.
            None => break,
        }
    }
    client
}

/// The hops the forwarding headers list, first (the original client, as claimed) to last.
fn forwarded_hops(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let xff: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if !xff.is_empty() {
        return xff.into_iter().map(parse_node).collect();
    }
    headers
        .get_all(http::header::FORWARDED)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| parse_node(value.trim().trim_matches('"')))
            })
        })
        .collect()
}

/// `192.0.2.1`, `192.0.2.1:8080`, `2001:db8::1`, `[2001:db8::1]:8080`.
fn parse_node(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    text.rsplit_once(':').and_then(|(ip, _)| ip.parse().ok())
}

/// What a rate limit counts for `ip`: the address itself for IPv4, the /64 for IPv6 (anyone holds
/// a whole /64 and could otherwise take a fresh address for every attempt).
pub fn limiter_key(ip: IpAddr) -> String {
    match ip.to_canonical() {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let prefix = Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
            format!("{prefix}/64")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (name, value) in pairs {
            h.append(*name, value.parse().unwrap());
        }
        h
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks_separated_by_commas() {
        let t = TrustedProxies::parse(" 10.0.0.1, 10.1.0.0/16 ,fd00::/8,").unwrap();
        assert!(t.trusts(ip("10.0.0.1")));
        assert!(!t.trusts(ip("10.0.0.2")));
        assert!(t.trusts(ip("10.1.200.3")));
        assert!(t.trusts(ip("fd12::1")));
        assert!(t.trusts(ip("::ffff:10.0.0.1")), "IPv4-mapped IPv6 is IPv4");
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        let e = TrustedProxies::parse("10.0.0.1, proxy.internal").unwrap_err();
        assert!(
            e.contains("SHOAL_TRUSTED_PROXIES") && e.contains("proxy.internal"),
            "{e}"
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn forwarding_headers_from_an_untrusted_peer_change_nothing() {
        let none = TrustedProxies::default();
        let spoofed = headers(&[
            ("x-forwarded-for", "198.51.100.7"),
            ("forwarded", "for=198.51.100.8"),
        ]);
        assert_eq!(
            client_addr(ip("203.0.113.5"), &spoofed, &none),
            ip("203.0.113.5")
        );
        let proxies = TrustedProxies::parse("10.0.0.1").unwrap();
        assert_eq!(
            client_addr(ip("203.0.113.5"), &spoofed, &proxies),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn behind_trusted_proxies_the_right_most_untrusted_hop_is_the_client() {
        let proxies = TrustedProxies::parse("10.0.0.0/8").unwrap();
        let peer = ip("10.0.0.1");
        // The client wrote the first entry itself; the proxy appended the real address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.5")]);
        assert_eq!(client_addr(peer, &h, &proxies), ip("203.0.113.5"));
        // Two proxies: the inner one appended the outer one's address.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, 203.0.113.5, 10.9.9.9")]);
        assert_eq!(client_addr(peer, &h, &proxies), ip("203.0.113.5"));
        // Several header lines are one list.
        let h = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "203.0.113.5"),
        ]);
        assert_eq!(client_addr(peer, &h, &proxies), ip("203.0.113.5"));
        // Only proxies listed: the left-most one is as far as anyone can tell.
        let h = headers(&[("x-forwarded-for", "10.1.1.1, 10.2.2.2")]);
        assert_eq!(client_addr(peer, &h, &proxies), ip("10.1.1.1"));
        // No header: the proxy itself.
        assert_eq!(client_addr(peer, &HeaderMap::new(), &proxies), peer);
        // Garbage where the proxy's entry should be: nothing past it is believed.
        let h = headers(&[("x-forwarded-for", "1.2.3.4, unknown")]);
        assert_eq!(client_addr(peer, &h, &proxies), peer);
    }

    #[test]
    fn the_forwarded_header_is_read_when_there_is_no_x_forwarded_for() {
        let proxies = TrustedProxies::parse("10.0.0.1, 2001:db8:ffff::1").unwrap();
        let h = headers(&[(
            "forwarded",
            "for=1.2.3.4;proto=https, For=\"[2001:db8::17]:4711\";by=10.0.0.1",
        )]);
        assert_eq!(
            client_addr(ip("10.0.0.1"), &h, &proxies),
            ip("2001:db8::17")
        );
        let h = headers(&[("forwarded", "for=198.51.100.1:8080")]);
        assert_eq!(
            client_addr(ip("2001:db8:ffff::1"), &h, &proxies),
            ip("198.51.100.1")
        );
        let h = headers(&[("forwarded", "for=_hidden")]);
        assert_eq!(client_addr(ip("10.0.0.1"), &h, &proxies), ip("10.0.0.1"));
    }

    #[test]
    fn ipv6_clients_count_by_their_64_and_ipv4_by_their_address() {
        assert_eq!(limiter_key(ip("203.0.113.5")), "203.0.113.5");
        assert_eq!(limiter_key(ip("::ffff:203.0.113.5")), "203.0.113.5");
        assert_eq!(
            limiter_key(ip("2001:db8:1:2:aaaa::1")),
            limiter_key(ip("2001:db8:1:2:bbbb::2"))
        );
        assert_eq!(limiter_key(ip("2001:db8:1:2:aaaa::1")), "2001:db8:1:2::/64");
        assert_ne!(
            limiter_key(ip("2001:db8:1:2::1")),
            limiter_key(ip("2001:db8:1:3::1"))
        );
    }
}
