//! Where webhooks may go: `http`/`https` URLs without credentials whose
//! host resolves only to public addresses (no loopback, private, link-local,
//! shared, multicast or cloud-metadata address), checked at registration
//! and again before every delivery, which then connects to the address
//! checked (so a DNS answer that changes in between cannot redirect it).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::Url;

/// A URL checked for delivery, with the addresses its host resolved to.
#[derive(Debug, Clone)]
pub struct Target {
    /// The URL.
    pub url: Url,
    /// The host name as written (for pinning its address).
    pub host: String,
    /// The checked address to connect to.
    pub addr: SocketAddr,
}

/// Checks `raw` and resolves its host. The error says why, for a 422 or a
/// delivery log.
pub async fn check(raw: &str, allow_private: bool) -> Result<Target, String> {
    let url = Url::parse(raw).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http or https URL".to_owned());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not carry credentials".to_owned());
    }
    let host = url.host_str().ok_or("must name a host")?.to_owned();
    let port = url.port_or_known_default().ok_or("must name a port")?;
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|e| format!("its host does not resolve: {e}"))?
            .collect(),
    };
    let first = *addrs.first().ok_or("its host does not resolve")?;
    if !allow_private {
        if let Some(bad) = addrs.iter().find(|a| !is_public(a.ip())) {
            return Err(format!(
                "its host resolves to {}, a loopback, private or link-local address",
                bad.ip()
            ));
        }
    }
    Ok(Target {
        url,
        host: bare.to_owned(),
        addr: first,
    })
}

/// An address on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => public_v4(v4),
        IpAddr::V6(v6) => public_v6(v6),
    }
}

fn public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    !(ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        // Shared address space (carrier-grade NAT), 100.64.0.0/10.
        || (a == 100 && (64..128).contains(&b))
        // Benchmarking, 198.18.0.0/15, and reserved, 240.0.0.0/4.
        || (a == 198 && (b == 18 || b == 19))
        || a >= 240)
}

fn public_v6(ip: Ipv6Addr) -> bool {
    let seg = ip.segments();
    let first = seg[0];
    // Addresses that carry an IPv4 address a gateway may reach: NAT64
    // (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16) and the deprecated
    // IPv4-compatible ::a.b.c.d, judged by the IPv4 address inside.
    let v4 = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    let embedded = match seg {
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] | [0, 0, 0, 0, 0, 0, hi, lo] => Some(v4(hi, lo)),
        [0x2002, hi, lo, ..] => Some(v4(hi, lo)),
        _ => None,
    };
    if (first == 0x64 && seg[1] == 0xff9b && seg[2] == 1) || embedded.is_some_and(|a| !public_v4(a))
    {
        return false;
    }
    !(ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        // Unique local fc00::/7 and link-local fe80::/10.
        || (first & 0xfe00) == 0xfc00
        || (first & 0xffc0) == 0xfe80
        // Documentation 2001:db8::/32.
        || (first == 0x2001 && ip.segments()[1] == 0x0db8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "64:ff9b::a00:5",
            "64:ff9b:1::1",
            "2002:a00:1::1",
            "::10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[tokio::test]
    async fn urls_are_checked_before_resolving() {
        assert!(check("ftp://example.com/", false).await.is_err());
        assert!(check("http://user:pw@93.184.215.14/", false).await.is_err());
        assert!(check("http://127.0.0.1:9/hook", false)
            .await
            .unwrap_err()
            .contains("127.0.0.1"));
        assert!(check("http://[::1]:9/hook", false).await.is_err());
        assert!(check("http://localhost:9/hook", false).await.is_err());
        assert!(check("http://169.254.169.254/latest", false).await.is_err());
        let ok = check("http://127.0.0.1:9/hook", true).await.unwrap();
        assert_eq!(ok.addr, "127.0.0.1:9".parse().unwrap());
    }
}
