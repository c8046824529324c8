//! `cargo bench --bench http`: the preview server's HTTP side under the
//! loads of issue 10, on loopback only, every loop bounded in count and
//! time. Prints the median keep-alive and new-connection request times,
//! the thread count idle, under 500 half-open requests and after 200
//! event-stream clients leave, and whether a request declaring a
//! 100 GB body is answered and the server still serves afterwards.

use hearth::serve::{ServeOptions, Server};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const REQUESTS: usize = 200;
const HALF_OPEN: usize = 500;
const EVENT_CLIENTS: usize = 200;
const TIMEOUT: Duration = Duration::from_secs(5);

fn main() {
    let site = tempfile::tempdir().unwrap();
    // The fixture has no `themes/` folder: it is served with the built-in theme.
    hearth::write::copy_static(&repo().join("tests/fixtures/serve"), site.path()).unwrap();
    let server = Server::start(&ServeOptions {
        root: site.path().to_path_buf(),
        interface: [127, 0, 0, 1].into(),
        port: 0,
        drafts: false,
        quiet: true,
    })
    .expect("the server starts");
    let address = server.address();
    println!("threads idle: {}", threads());

    let mut keep_alive = Vec::new();
    let mut stream = connect(address);
    for _ in 0..REQUESTS {
        let started = Instant::now();
        let status = request(&mut stream, address, "/");
        keep_alive.push(started.elapsed());
        assert_eq!(status, 200);
    }
    let mut fresh = Vec::new();
    for _ in 0..REQUESTS {
        let started = Instant::now();
        let status = request(&mut connect(address), address, "/");
        fresh.push(started.elapsed());
        assert_eq!(status, 200);
    }
    println!(
        "keep-alive request: median {:.3} ms, p90 {:.3} ms ({REQUESTS} requests)",
        millis(median(&mut keep_alive)),
        millis(percentile(&mut keep_alive, 0.9))
    );
    println!(
        "new connection + request: median {:.3} ms, p90 {:.3} ms",
        millis(median(&mut fresh)),
        millis(percentile(&mut fresh, 0.9))
    );

    let half_open: Vec<TcpStream> = (0..HALF_OPEN)
        .filter_map(|_| {
            let mut stream = TcpStream::connect(address).ok()?;
            let head = format!("GET / HTTP/1.1\r\nHost: {address}\r\nX-Slow: ");
            stream.write_all(head.as_bytes()).ok()?;
            Some(stream)
        })
        .collect();
    std::thread::sleep(Duration::from_millis(500));
    let started = Instant::now();
    let status = request(&mut connect(address), address, "/");
    println!(
        "{} half-open requests: {} threads; a request meanwhile: {status} in {:.1} ms",
        half_open.len(),
        threads(),
        millis(started.elapsed())
    );
    drop(half_open);

    let clients: Vec<TcpStream> = (0..EVENT_CLIENTS)
        .map(|_| {
            let mut stream = connect(address);
            let head = format!("GET /__hearth/events HTTP/1.1\r\nHost: {address}\r\n\r\n");
            stream.write_all(head.as_bytes()).unwrap();
            let mut first = [0u8; 12];
            stream.read_exact(&mut first).unwrap();
            stream
        })
        .collect();
    println!("{EVENT_CLIENTS} event streams open: {} threads", threads());
    drop(clients);
    std::thread::sleep(Duration::from_secs(1));
    println!("1 s after they left: {} threads", threads());

    let mut huge = connect(address);
    let head = format!("GET / HTTP/1.1\r\nHost: {address}\r\nContent-Length: 100000000000\r\n\r\n");
    huge.write_all(head.as_bytes()).unwrap();
    let mut answer = [0u8; 12];
    let answered = huge.read_exact(&mut answer).is_ok();
    drop(huge);
    let status = request(&mut connect(address), address, "/");
    println!(
        "Content-Length: 100000000000: answered {:?}; next request: {status}",
        if answered {
            String::from_utf8_lossy(&answer).into_owned()
        } else {
            "no".into()
        }
    );
    server.stop();
}

fn connect(address: SocketAddr) -> TcpStream {
    let stream = TcpStream::connect(address).unwrap();
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    stream
}

/// Sends a GET on `stream` and reads the whole response; its status.
fn request(stream: &mut TcpStream, address: SocketAddr, path: &str) -> u16 {
    let head = format!("GET {path} HTTP/1.1\r\nHost: {address}\r\n\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    let mut received = Vec::new();
    let mut buffer = [0u8; 16384];
    let (header_end, length) = loop {
        let read = stream.read(&mut buffer).expect("a response in time");
        assert!(read > 0, "connection closed");
        received.extend_from_slice(&buffer[..read]);
        if let Some(end) = find(&received, b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&received[..end]).to_ascii_lowercase();
            let length = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map_or(0, |v| v.trim().parse::<usize>().unwrap());
            break (end + 4, length);
        }
    };
    while received.len() < header_end + length {
        let read = stream.read(&mut buffer).expect("the body in time");
        assert!(read > 0, "connection closed");
        received.extend_from_slice(&buffer[..read]);
    }
    String::from_utf8_lossy(&received[9..12]).parse().unwrap()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Threads of this process (Linux).
fn threads() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Threads:"))
                .map(|v| v.trim().parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

fn median(times: &mut [Duration]) -> Duration {
    percentile(times, 0.5)
}

fn percentile(times: &mut [Duration], at: f64) -> Duration {
    times.sort();
    times[((times.len() - 1) as f64 * at).round() as usize]
}

fn millis(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
