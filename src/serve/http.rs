//! Answers HTTP requests from the serve folder: only GET and HEAD, only for
//! the expected Host, only files inside the folder. HTML gets the live
//! reload script (and the error overlay); [`EVENTS_PATH`] streams rebuild
//! events to pages of this server's own origin.
//!
//! The server is hyper's HTTP/1.1 on a two-thread tokio runtime: every
//! connection, event streams included, is a task, not a thread, so half-
//! open or idle connections cost memory, never threads; a request's
//! headers must arrive within [`HEADER_TIMEOUT`]; a declared body is never
//! read or allocated; each response leaves in one write with
//! `TCP_NODELAY` set, so keep-alive requests do not wait on delayed ACKs.

use super::overlay::{inject, EVENTS_PATH};
use super::state::Shared;
use anyhow::{Context, Result};
use http_body_util::combinators::UnsyncBoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Frame, Incoming};
use hyper::header::{HeaderValue, ALLOW, CACHE_CONTROL, CONTENT_TYPE, HOST, LOCATION, ORIGIN};
use hyper::{Method, Request, Response, StatusCode};
use percent_encoding::{percent_decode_str, utf8_percent_encode};
use std::convert::Infallible;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context as TaskContext, Poll};
use std::thread::JoinHandle;
use std::time::Duration;
use tokio::sync::{mpsc, Notify, Semaphore};

/// How often an idle event stream sends a comment, to notice closed tabs.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The Host headers a request may carry: the bound address, `localhost`
/// or the loopback address, with the bound port. Anything else may be a
/// DNS rebinding attack: a page of another site reaching this server
/// through a name that resolves to 127.0.0.1.
#[derive(Debug, Clone)]
pub struct AllowedHosts {
    pub ip: IpAddr,
    pub port: u16,
}

impl AllowedHosts {
    pub fn allows(&self, host: &str) -> bool {
        let Some((name, port)) = split_host(host) else {
            return false;
        };
        if port != self.port {
            return false;
        }
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        match name.parse::<IpAddr>() {
            // Bound to every interface: any address of this machine, but
            // no names, which is what rebinding needs.
            Ok(_) if self.ip.is_unspecified() => true,
            Ok(ip) => ip == self.ip || ip.is_loopback(),
            Err(_) => false,
        }
    }
}

/// `host:port`, `[v6]:port` or `host` (port 80) → (host, port).
fn split_host(host: &str) -> Option<(&str, u16)> {
    let host = host.trim();
    if let Some(rest) = host.strip_prefix('[') {
        let (name, after) = rest.split_once(']')?;
        return match after.strip_prefix(':') {
            Some(port) => Some((name, port.parse().ok()?)),
            None if after.is_empty() => Some((name, 80)),
            None => None,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) => Some((name, port.parse().ok()?)),
        None => Some((host, 80)),
    }
}

/// How long a client may take to send a request's headers.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Open connections at most; more are closed as they arrive (event
/// streams count, each open page holds one).
pub const MAX_CONNECTIONS: usize = 1024;

/// What one client may hold of the server: [`HEADER_TIMEOUT`] and
/// [`MAX_CONNECTIONS`] unless a test asks for less.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub header_timeout: Duration,
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            header_timeout: HEADER_TIMEOUT,
            max_connections: MAX_CONNECTIONS,
        }
    }
}

/// Events queued for one page; a page that falls this far behind is
/// dropped, and its browser reconnects.
const STREAM_BACKLOG: usize = 32;

/// Threads of the server's runtime (every connection is a task on them).
const RUNTIME_THREADS: usize = 2;

type Body = UnsyncBoxBody<Bytes, Infallible>;

/// The running HTTP side of `serve`: a runtime answering connections, and
/// a thread handing rebuild events to the open event streams.
pub struct HttpServer {
    runtime: Option<tokio::runtime::Runtime>,
    stop: Arc<Notify>,
    forwarder: Option<JoinHandle<()>>,
}

/// The open event streams, each fed through its own channel.
#[derive(Default)]
struct Streams {
    senders: Mutex<Vec<mpsc::Sender<Bytes>>>,
}

impl HttpServer {
    /// Serves `listener` until [`HttpServer::stop`].
    pub fn start(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<HttpServer> {
        HttpServer::start_with(listener, shared, Limits::default())
    }

    /// [`HttpServer::start`] with other limits.
    pub fn start_with(
        listener: std::net::TcpListener,
        shared: Arc<Shared>,
        limits: Limits,
    ) -> Result<HttpServer> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(RUNTIME_THREADS)
            .max_blocking_threads(1)
            .thread_name("hearth-http")
            .enable_all()
            .build()
            .context("cannot start the HTTP runtime")?;
        listener
            .set_nonblocking(true)
            .context("cannot set up the listening socket")?;
        let listener = {
            let _entered = runtime.enter();
            tokio::net::TcpListener::from_std(listener).context("cannot listen")?
        };
        let streams = Arc::new(Streams::default());
        let forwarder = {
            let events = shared.subscribe();
            let streams = Arc::clone(&streams);
            std::thread::spawn(move || {
                for event in events {
                    let event = Bytes::from(event);
                    lock(&streams.senders).retain(|page| page.try_send(event.clone()).is_ok());
                }
                lock(&streams.senders).clear();
            })
        };
        let stop = Arc::new(Notify::new());
        runtime.spawn(accept(listener, shared, streams, Arc::clone(&stop), limits));
        Ok(HttpServer {
            runtime: Some(runtime),
            stop,
            forwarder: Some(forwarder),
        })
    }

    /// Stops accepting, closes every connection and waits for the event
    /// thread (which ends when [`Shared::close_streams`] has run).
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.notify_one();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
        if let Some(forwarder) = self.forwarder.take() {
            let _ = forwarder.join();
        }
    }
}

impl Drop for HttpServer {
    fn drop(&mut self) {
        self.stop.notify_one();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Accepts connections until told to stop; each is a task, at most
/// `limits.max_connections` at once.
async fn accept(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    streams: Arc<Streams>,
    stop: Arc<Notify>,
    limits: Limits,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    loop {
        let stream = tokio::select! {
            _ = stop.notified() => return,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors, most likely: let some close.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = Arc::clone(&permits).try_acquire_owned() else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        let shared = Arc::clone(&shared);
        let streams = Arc::clone(&streams);
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |request: Request<Incoming>| {
                let response = answer(&request, &shared, &streams);
                async move { Ok::<_, Infallible>(response) }
            });
            let mut http = hyper::server::conn::http1::Builder::new();
            http.timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .max_buf_size(64 * 1024);
            let _ = http
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

/// Answers one request. A body the request declares is never read.
fn answer(request: &Request<Incoming>, shared: &Shared, streams: &Streams) -> Response<Body> {
    let host = header(request, HOST);
    if !host.is_some_and(|host| shared.hosts.allows(host)) {
        return text(StatusCode::FORBIDDEN, "Forbidden: unexpected Host header\n");
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = text(StatusCode::METHOD_NOT_ALLOWED, "Method not allowed\n");
        response
            .headers_mut()
            .insert(ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let path = request.uri().path();
    if path == EVENTS_PATH {
        if !header(request, ORIGIN).is_none_or(|origin| shared.hosts.allows_origin(origin)) {
            return text(StatusCode::FORBIDDEN, "Forbidden: unexpected Origin\n");
        }
        if request.method() == Method::HEAD {
            return text(StatusCode::OK, "");
        }
        let viewing = viewed_page(request.uri().query()).map(|page| shared.viewing(page));
        return event_stream(shared, streams, viewing);
    }
    match locate(&shared.output, path, request.uri().query()) {
        Located::File(file) => serve_file(&file, StatusCode::OK, shared),
        Located::Redirect(location) => {
            let mut response = Response::new(empty());
            *response.status_mut() = StatusCode::FOUND;
            // Built from checked, percent-encoded parts: always a valid value.
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(LOCATION, value);
            }
            response
        }
        Located::NotFound => serve_not_found(shared),
    }
}

impl AllowedHosts {
    /// Whether an `Origin` header names this server: `http://` and an
    /// allowed host.
    pub fn allows_origin(&self, origin: &str) -> bool {
        origin
            .strip_prefix("http://")
            .is_some_and(|host| !host.contains('/') && self.allows(host))
    }
}

/// What a request URL leads to in the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    File(PathBuf),
    /// A folder asked for without its final `/`: where it is, a path of
    /// this server (never `//host`), percent-encoded.
    Redirect(String),
    NotFound,
}

/// Finds the file a URL path names under `output` (absolute, symlinks
/// resolved): a file, or a folder's `index.html`. Anything that is not
/// plainly inside the output, symlinks leading out of it included, is
/// [`Located::NotFound`].
pub fn locate(output: &Path, path: &str, query: Option<&str>) -> Located {
    let Some(relative) = safe_relative_path(path) else {
        return Located::NotFound;
    };
    let mut file = output.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') {
            return Located::Redirect(folder_url(&relative, query));
        }
        file.push("index.html");
    }
    match file.canonicalize() {
        Ok(real) if real.starts_with(output) && real.is_file() => Located::File(real),
        _ => Located::NotFound,
    }
}

/// `/a/b/?query` for a folder, each part percent-encoded, so no control
/// character or second leading `/` reaches the `Location` header.
fn folder_url(relative: &Path, query: Option<&str>) -> String {
    let mut url = String::from("/");
    for part in relative.components() {
        let part = part.as_os_str().to_string_lossy();
        url.push_str(&utf8_percent_encode(&part, crate::config::URL_PATH).to_string());
        url.push('/');
    }
    if let Some(query) = query {
        url.push('?');
        url.push_str(&utf8_percent_encode(query, crate::config::URL_PATH).to_string());
    }
    url
}

/// The path of a URL (`/guides/trust/`) as a relative path, percent-decoded,
/// or `None` if it could leave the folder: `..` or `.` segments (encoded
/// or not), backslashes, NUL, drive letters or stream names (`:`), or a URL
/// that is not a plain absolute path.
pub fn safe_relative_path(path: &str) -> Option<PathBuf> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0', ':']) {
        return None;
    }
    let mut relative = PathBuf::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(name)), None) if name == segment => relative.push(name),
            _ => return None,
        }
    }
    Some(relative)
}

fn serve_file(file: &Path, status: StatusCode, shared: &Shared) -> Response<Body> {
    let content_type = content_type(file);
    let Ok(bytes) = std::fs::read(file) else {
        return text(StatusCode::NOT_FOUND, "Not found\n");
    };
    if !content_type.starts_with("text/html") {
        return respond(status, content_type, Bytes::from(bytes));
    }
    let html = String::from_utf8_lossy(&bytes);
    let page = inject(&html, &shared.injection(status == StatusCode::NOT_FOUND));
    respond(status, content_type, Bytes::from(page))
}

/// The site's 404 page with status 404, or a plain one when the site has
/// not built yet.
fn serve_not_found(shared: &Shared) -> Response<Body> {
    let page = shared.output.join("404.html");
    if page.is_file() {
        return serve_file(&page, StatusCode::NOT_FOUND, shared);
    }
    let html = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<h1>Not found</h1>\n<p>This page does not exist, or the site has not built yet.</p>\n</body>\n</html>\n";
    let page = inject(html, &shared.injection(true));
    respond(
        StatusCode::NOT_FOUND,
        "text/html; charset=utf-8",
        Bytes::from(page),
    )
}

fn respond(status: StatusCode, content_type: &'static str, body: Bytes) -> Response<Body> {
    let mut response = Response::new(Full::new(body).boxed_unsync());
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn text(status: StatusCode, text: &'static str) -> Response<Body> {
    respond(
        status,
        "text/plain; charset=utf-8",
        Bytes::from_static(text.as_bytes()),
    )
}

fn empty() -> Body {
    Full::new(Bytes::new()).boxed_unsync()
}

fn header(request: &Request<Incoming>, name: hyper::header::HeaderName) -> Option<&str> {
    request
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

/// The output path of the page an event stream is for, from its
/// `?page=/guides/trust/` (the page's URL path, as the reload script sends
/// it): `guides/trust/index.html`. `None` for anything that is not a
/// plain path inside the site.
pub fn viewed_page(query: Option<&str>) -> Option<String> {
    let value = query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("page="))?;
    let path = percent_decode_str(value).decode_utf8().ok()?;
    if path.len() > MAX_VIEWED_PATH {
        return None;
    }
    let mut relative = safe_relative_path(&path)?;
    if path.ends_with('/') {
        relative.push("index.html");
    }
    let relative = relative.to_str()?.to_string();
    (!relative.is_empty()).then_some(relative)
}

/// The longest page path an event stream may name.
const MAX_VIEWED_PATH: usize = 1024;

/// A Server-Sent Events stream: a `hello` with the current build, then
/// every rebuild event, and a comment now and then so a closed tab is
/// noticed. It ends when the page goes away or the server stops; while it
/// lasts, `viewing` marks its page open.
fn event_stream(
    shared: &Shared,
    streams: &Streams,
    viewing: Option<super::state::Viewing>,
) -> Response<Body> {
    let (sender, receiver) = mpsc::channel(STREAM_BACKLOG);
    let page = viewing.as_ref().map(super::state::Viewing::page);
    let _ = sender.try_send(Bytes::from(format!(
        "retry: 500\n\n{}",
        shared.hello_event(page)
    )));
    lock(&streams.senders).push(sender);
    let body = EventBody {
        _viewing: viewing,
        events: receiver,
        keep_alive: tokio::time::interval_at(tokio::time::Instant::now() + KEEP_ALIVE, KEEP_ALIVE),
    };
    let mut response = Response::new(body.boxed_unsync());
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

struct EventBody {
    _viewing: Option<super::state::Viewing>,
    events: mpsc::Receiver<Bytes>,
    keep_alive: tokio::time::Interval,
}

impl hyper::body::Body for EventBody {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        context: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        match self.events.poll_recv(context) {
            Poll::Ready(Some(event)) => return Poll::Ready(Some(Ok(Frame::data(event)))),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        match self.keep_alive.poll_tick(context) {
            Poll::Ready(_) => Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(
                b": keep-alive\n\n",
            ))))),
            Poll::Pending => Poll::Pending,
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// The Content-Type of a file, by its extension.
pub fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match extension.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "xml" if path.file_name().is_some_and(|n| n == "atom.xml") => "application/atom+xml",
        "xml" => "application/xml",
        "txt" | "md" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "mp3" => "audio/mpeg",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "wasm" => "application/wasm",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_stream_names_its_page_by_output_path() {
        let table: &[(Option<&str>, Option<&str>)] = &[
            (Some("page=/"), Some("index.html")),
            (
                Some("page=%2Fguides%2Ftrust%2F"),
                Some("guides/trust/index.html"),
            ),
            (Some("page=/guides/trust/"), Some("guides/trust/index.html")),
            (Some("x=1&page=/404.html"), Some("404.html")),
            (Some("page=%2Fa%2520b%2F"), Some("a b/index.html")),
            (Some("page=/../site.toml"), None),
            (Some("page=%2F..%2Fsite.toml"), None),
            (Some("page=guides/"), None),
            (Some("page="), None),
            (Some("other=/"), None),
            (None, None),
        ];
        for (query, expected) in table {
            assert_eq!(viewed_page(*query).as_deref(), *expected, "{query:?}");
        }
        let long = format!("page=/{}/", "a".repeat(MAX_VIEWED_PATH));
        assert_eq!(viewed_page(Some(&long)), None);
    }

    #[test]
    fn refuses_paths_that_leave_the_folder() {
        let table: &[(&str, Option<&str>)] = &[
            ("/", Some("")),
            ("/guides/trust/", Some("guides/trust")),
            ("/style.css", Some("style.css")),
            ("/guides//trust/", Some("guides/trust")),
            ("/a%20b.png", Some("a b.png")),
            ("/../site.toml", None),
            ("/guides/../../site.toml", None),
            ("/%2e%2e/site.toml", None),
            ("/%2E%2e/site.toml", None),
            ("/.%2E/site.toml", None),
            ("/..%5csite.toml", None),
            ("/..%5Csite.toml", None),
            ("/guides\\..\\site.toml", None),
            ("/./site.toml", None),
            ("/a%00b", None),
            ("/C:/Windows/win.ini", None),
            ("/%ff", None),
            ("site.toml", None),
            ("http://evil.example/site.toml", None),
        ];
        for (url, expected) in table {
            assert_eq!(
                safe_relative_path(url),
                expected.map(PathBuf::from),
                "{url}"
            );
        }
    }

    #[test]
    fn allows_only_local_hosts_with_the_port() {
        let loopback = AllowedHosts {
            ip: "127.0.0.1".parse().unwrap(),
            port: 1111,
        };
        for host in [
            "127.0.0.1:1111",
            "localhost:1111",
            "LOCALHOST:1111",
            "[::1]:1111",
        ] {
            assert!(loopback.allows(host), "{host}");
        }
        for host in [
            "evil.example:1111",
            "127.0.0.1:2222",
            "127.0.0.1",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "",
        ] {
            assert!(!loopback.allows(host), "{host}");
        }
        let everywhere = AllowedHosts {
            ip: "0.0.0.0".parse().unwrap(),
            port: 1111,
        };
        assert!(everywhere.allows("192.168.1.5:1111"));
        assert!(!everywhere.allows("rebind.evil.example:1111"));
    }

    #[test]
    fn locates_files_folders_and_nothing_outside() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("out");
        std::fs::create_dir_all(output.join("guides/trust")).unwrap();
        std::fs::write(output.join("guides/trust/index.html"), "x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), "x").unwrap();
        let output = output.canonicalize().unwrap();
        assert_eq!(
            locate(&output, "/guides/trust/", Some("a=1")),
            Located::File(output.join("guides/trust/index.html"))
        );
        assert_eq!(
            locate(&output, "/guides/trust", Some("a=1")),
            Located::Redirect("/guides/trust/?a=1".into())
        );
        // `GET //guides` must not answer `Location: //guides/` (another host).
        assert_eq!(
            locate(&output, "//guides", None),
            Located::Redirect("/guides/".into())
        );
        std::fs::create_dir_all(output.join("a b\nc")).unwrap();
        assert_eq!(
            locate(&output, "/a%20b%0Ac", Some("x=\n")),
            Located::Redirect("/a%20b%0Ac/?x=%0A".into())
        );
        assert_eq!(locate(&output, "/nothing/", None), Located::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), output.join("link.txt"))
                .unwrap();
            assert_eq!(locate(&output, "/link.txt", None), Located::NotFound);
        }
    }

    /// A server on a free loopback port answering from a folder with one
    /// page, with `limits`.
    fn serve_with(limits: Limits) -> (tempfile::TempDir, HttpServer, std::net::SocketAddr) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>home</p>").unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let address = listener.local_addr().unwrap();
        let hosts = AllowedHosts {
            ip: address.ip(),
            port: address.port(),
        };
        let output = dir.path().canonicalize().unwrap();
        let shared = Arc::new(Shared::new(dir.path().to_path_buf(), output, hosts));
        let server = HttpServer::start_with(listener, shared, limits).unwrap();
        (dir, server, address)
    }

    fn connect(address: std::net::SocketAddr) -> std::net::TcpStream {
        let stream = std::net::TcpStream::connect(address).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
    }

    /// What the server sends until it closes the connection (or the
    /// 10 s read timeout passes: then `None`).
    fn read_until_closed(stream: &mut std::net::TcpStream) -> Option<String> {
        use std::io::Read;
        let mut answer = Vec::new();
        match stream.read_to_end(&mut answer) {
            Ok(_) => Some(String::from_utf8_lossy(&answer).into_owned()),
            Err(error) if error.kind() == std::io::ErrorKind::ConnectionReset => {
                Some(String::from_utf8_lossy(&answer).into_owned())
            }
            Err(_) => None,
        }
    }

    fn get_home(address: std::net::SocketAddr) -> String {
        use std::io::Write;
        let mut stream = connect(address);
        // A refused connection may be closed before the request is out.
        let _ = write!(
            stream,
            "GET / HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        );
        read_until_closed(&mut stream).unwrap_or_default()
    }

    #[test]
    fn headers_not_sent_within_the_timeout_close_the_connection() {
        use std::io::Write;
        let (_dir, server, address) = serve_with(Limits {
            header_timeout: Duration::from_millis(200),
            max_connections: MAX_CONNECTIONS,
        });
        let mut slow = connect(address);
        write!(slow, "GET / HTTP/1.1\r\nHost: {address}\r\n").unwrap();
        let answer = read_until_closed(&mut slow);
        assert!(
            answer.is_some(),
            "a request whose headers never end was kept open"
        );
        assert!(!answer.unwrap().contains("home"));
        assert!(get_home(address).contains("<p>home</p>"));
        server.stop();
    }

    #[test]
    fn connections_over_the_cap_are_closed_and_served_again_once_one_leaves() {
        use std::io::Write;
        let (_dir, server, address) = serve_with(Limits {
            header_timeout: Duration::from_secs(60),
            max_connections: 3,
        });
        let mut held: Vec<_> = (0..3)
            .map(|_| {
                let mut stream = connect(address);
                write!(stream, "GET / HTTP/1.1\r\nHost: {address}\r\n").unwrap();
                stream
            })
            .collect();
        // The accept loop takes the three in order; give it a moment.
        std::thread::sleep(Duration::from_millis(200));
        let refused = get_home(address);
        assert!(!refused.contains("home"), "a fourth connection was served");
        held.pop();
        let mut served = false;
        for _ in 0..50 {
            if get_home(address).contains("<p>home</p>") {
                served = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        assert!(
            served,
            "no connection was served after one of the three left"
        );
        for stream in &mut held {
            write!(stream, "Connection: close\r\n\r\n").unwrap();
            let answer = read_until_closed(stream).unwrap_or_default();
            assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
        }
        server.stop();
    }
}
