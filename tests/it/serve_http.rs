//! Issue 10's reproductions against `hearth serve` run as a child process
//! on a free port of 127.0.0.1 (so its thread count is its own): requests
//! that aborted it, loads that grew its threads, answers that left the site
//! or streamed to another origin. Every wait is bounded.

use crate::support::SiteTest;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(10);

/// A `hearth serve` child process, stopped when dropped.
struct Served {
    _site: SiteTest,
    child: Child,
    address: SocketAddr,
}

impl Served {
    fn start() -> Served {
        let site = SiteTest::fixture("serve");
        let mut child = Command::new(env!("CARGO_BIN_EXE_hearth"))
            .args(["serve", "--port", "0", "--root"])
            .arg(site.root())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let url = line
            .split("http://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_else(|| panic!("no address in {line:?}"));
        Served {
            _site: site,
            address: url.parse().unwrap(),
            child,
        }
    }

    fn connect(&self) -> TcpStream {
        let stream = TcpStream::connect(self.address).unwrap();
        stream.set_read_timeout(Some(WAIT)).unwrap();
        stream
    }

    /// Sends `head` as it is and reads the response's head.
    fn raw(&self, head: &str) -> String {
        let mut stream = self.connect();
        stream.write_all(head.as_bytes()).unwrap();
        read_head(&mut stream)
    }

    fn get(&self, path: &str) -> String {
        self.raw(&format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
            self.address
        ))
    }

    /// The server's threads, from /proc.
    fn threads(&self) -> usize {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        status
            .lines()
            .find_map(|l| l.strip_prefix("Threads:"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    fn assert_alive(&mut self) {
        assert!(self.child.try_wait().unwrap().is_none(), "the server died");
        assert!(self.get("/").starts_with("HTTP/1.1 200"));
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn read_head(stream: &mut TcpStream) -> String {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => head.push(byte[0]),
            _ => break,
        }
    }
    String::from_utf8_lossy(&head).into_owned()
}

#[test]
fn content_length_100000000000_does_not_abort_the_server() {
    let mut served = Served::start();
    let host = served.address.to_string();
    for (method, path, host) in [
        ("GET", "/", host.as_str()),
        ("GET", "/", "evil.example"),
        ("POST", "/", host.as_str()),
        ("GET", "/nothing/", host.as_str()),
    ] {
        let head = served.raw(&format!(
            "{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 100000000000\r\n\r\n"
        ));
        assert!(head.starts_with("HTTP/1.1 "), "{method} {host}: {head:?}");
        served.assert_alive();
    }
}

#[test]
fn slowloris_500_half_open_requests_keep_threads_bounded_and_serving() {
    let mut served = Served::start();
    served.assert_alive();
    let idle = served.threads();
    let half_open: Vec<TcpStream> = (0..500)
        .map(|_| {
            let mut stream = served.connect();
            let head = format!("GET / HTTP/1.1\r\nHost: {}\r\nX-Slow: ", served.address);
            stream.write_all(head.as_bytes()).unwrap();
            stream
        })
        .collect();
    std::thread::sleep(Duration::from_millis(300));
    served.assert_alive();
    let threads = served.threads();
    assert!(
        threads <= idle + 2,
        "{idle} threads idle, {threads} under 500 half-open requests"
    );
    drop(half_open);
}

#[test]
fn sse_clients_that_leave_leave_no_threads() {
    let mut served = Served::start();
    served.assert_alive();
    let idle = served.threads();
    let clients: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = served.connect();
            let head = format!(
                "GET /__hearth/events HTTP/1.1\r\nHost: {}\r\n\r\n",
                served.address
            );
            stream.write_all(head.as_bytes()).unwrap();
            assert!(read_head(&mut stream).starts_with("HTTP/1.1 200"));
            stream
        })
        .collect();
    let threads = served.threads();
    assert!(
        threads <= idle + 2,
        "{idle} threads idle, {threads} with 200 event streams"
    );
    drop(clients);
    served.assert_alive();
    assert!(served.threads() <= idle + 2);
}

#[test]
fn get_double_slash_guides_redirects_within_the_site() {
    let served = Served::start();
    for (path, location) in [
        ("//guides", "Location: /guides/\r\n"),
        ("///guides?x=1", "Location: /guides/?x=1\r\n"),
        ("/guides", "Location: /guides/\r\n"),
    ] {
        let head = served.get(path);
        assert!(head.starts_with("HTTP/1.1 302"), "{path}: {head}");
        assert!(
            head.to_ascii_lowercase()
                .contains(&location.to_ascii_lowercase()),
            "{path}: {head}"
        );
    }
}

#[test]
fn raw_newline_in_the_request_target_never_reaches_a_response_header() {
    let served = Served::start();
    let host = served.address;
    for target in [
        "/guides\nSet-Cookie: a=b",
        "/guides\rSet-Cookie: a=b",
        "/guides%0ASet-Cookie:%20a=b",
    ] {
        let head = served.raw(&format!("GET {target} HTTP/1.1\r\nHost: {host}\r\n\r\n"));
        assert!(
            !head.to_ascii_lowercase().contains("set-cookie"),
            "{target:?}: {head}"
        );
    }
    let head = served.get("/guides?a%0D%0ASet-Cookie:x");
    assert!(
        !head.to_ascii_lowercase().contains("\nset-cookie"),
        "{head}"
    );
}

#[test]
fn events_stream_refuses_a_foreign_origin() {
    let served = Served::start();
    let host = served.address;
    let events = |origin: &str| {
        served.raw(&format!(
            "GET /__hearth/events HTTP/1.1\r\nHost: {host}\r\nOrigin: {origin}\r\n\r\n"
        ))
    };
    assert!(events("http://evil.com").starts_with("HTTP/1.1 403"));
    assert!(events("null").starts_with("HTTP/1.1 403"));
    assert!(events(&format!("http://localhost:{}", host.port())).starts_with("HTTP/1.1 200"));
    assert!(events(&format!("http://{host}")).starts_with("HTTP/1.1 200"));
}

#[test]
fn head_requests_get_headers_only() {
    let served = Served::start();
    let mut stream = served.connect();
    let head = format!("HEAD / HTTP/1.1\r\nHost: {}\r\n\r\nGET / HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", served.address, served.address);
    stream.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let first = read_head(&mut stream);
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    // The next bytes are the second response, not a body of the first.
    let second = read_head(&mut stream);
    assert!(second.starts_with("HTTP/1.1 200"), "{second:?}");
    assert!(started.elapsed() < WAIT);
}
