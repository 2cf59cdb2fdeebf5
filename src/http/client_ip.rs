//! The client's IP: the peer address, or the last untrusted hop of
//! `X-Forwarded-For` when the peer is a configured proxy. IPv4-mapped IPv6
//! addresses are normalised so `::ffff:1.2.3.4` and `1.2.3.4` are one client.

use std::net::IpAddr;

use actix_web::HttpRequest;

/// The client IP as the throttles and comment records see it.
pub fn client_ip(req: &HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip().to_canonical();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = req
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    // Walk from the nearest hop back; the first address that is not one of
    // our proxies is the client.
    let hops: Vec<IpAddr> = forwarded
        .split(',')
        .filter_map(|h| h.trim().parse::<IpAddr>().ok())
        .map(|ip| ip.to_canonical())
        .collect();
    Some(
        hops.into_iter()
            .rev()
            .find(|ip| !trusted.contains(ip))
            .unwrap_or(peer),
    )
}
