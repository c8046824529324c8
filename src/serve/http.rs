//! Answers HTTP requests from the serve folder: only GET and HEAD, only for
//! the expected Host, only files inside the folder. HTML gets the live
//! reload script (and the error overlay); [`EVENTS_PATH`] streams rebuild
//! events.

use super::overlay::{inject, EVENTS_PATH};
use super::state::Shared;
use percent_encoding::percent_decode_str;
use std::io::Write;
use std::net::IpAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::RecvTimeoutError;
use std::sync::Arc;
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

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

/// Answers one request. Event streams get a thread of their own.
pub fn handle(request: Request, shared: &Arc<Shared>) {
    let host = header(&request, "Host");
    if !host.is_some_and(|host| shared.hosts.allows(&host)) {
        return respond_text(request, 403, "Forbidden: unexpected Host header\n");
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let allow = Header::from_bytes("Allow", "GET, HEAD").expect("a valid header");
        let response = Response::from_string("Method not allowed\n")
            .with_status_code(405)
            .with_header(allow);
        let _ = request.respond(response);
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == EVENTS_PATH {
        if *request.method() == Method::Head {
            return respond_text(request, 200, "");
        }
        let shared = Arc::clone(shared);
        std::thread::spawn(move || stream_events(request, &shared));
        return;
    }
    match locate(&shared.output, &url) {
        Located::File(file) => serve_file(request, &file, 200, shared),
        Located::Redirect(location) => {
            let header = Header::from_bytes("Location", location).expect("a valid header");
            let _ = request.respond(Response::empty(302).with_header(header));
        }
        Located::NotFound => serve_not_found(request, shared),
    }
}

/// What a request URL leads to in the output folder.
#[derive(Debug, PartialEq, Eq)]
pub enum Located {
    File(PathBuf),
    /// A folder asked for without its final `/`.
    Redirect(String),
    NotFound,
}

/// Finds the file a URL names under `output` (absolute, symlinks
/// resolved): a file, or a folder's `index.html`. Anything that is not
/// plainly inside the output, symlinks leading out of it included, is
/// [`Located::NotFound`].
pub fn locate(output: &Path, url: &str) -> Located {
    let (path, query) = match url.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (url, None),
    };
    let path = path.split('#').next().unwrap_or("");
    let Some(relative) = safe_relative_path(path) else {
        return Located::NotFound;
    };
    let mut file = output.join(&relative);
    if file.is_dir() {
        if !path.ends_with('/') {
            let query = query.map(|q| format!("?{q}")).unwrap_or_default();
            return Located::Redirect(format!("{path}/{query}"));
        }
        file.push("index.html");
    }
    match file.canonicalize() {
        Ok(real) if real.starts_with(output) && real.is_file() => Located::File(real),
        _ => Located::NotFound,
    }
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

fn serve_file(request: Request, file: &Path, status: u16, shared: &Shared) {
    let content_type = content_type(file);
    if content_type.starts_with("text/html") {
        match std::fs::read_to_string(file) {
            Ok(html) => {
                let page = inject(&html, &shared.injection(status == 404));
                respond(
                    request,
                    Response::from_data(page.into_bytes()),
                    status,
                    content_type,
                )
            }
            Err(_) => respond_text(request, 404, "Not found\n"),
        }
    } else {
        match std::fs::File::open(file) {
            Ok(opened) => respond(request, Response::from_file(opened), status, content_type),
            Err(_) => respond_text(request, 404, "Not found\n"),
        }
    }
}

/// The site's 404 page with status 404, or a plain one when the site has
/// not built yet.
fn serve_not_found(request: Request, shared: &Shared) {
    let page = shared.output.join("404.html");
    if page.is_file() {
        return serve_file(request, &page, 404, shared);
    }
    let html = "<!doctype html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>Not found</title></head>\n<body>\n<h1>Not found</h1>\n<p>This page does not exist, or the site has not built yet.</p>\n</body>\n</html>\n";
    let page = inject(html, &shared.injection(true));
    respond(
        request,
        Response::from_data(page.into_bytes()),
        404,
        "text/html; charset=utf-8",
    );
}

fn respond<R: std::io::Read>(
    request: Request,
    response: Response<R>,
    status: u16,
    content_type: &str,
) {
    let headers = [
        ("Content-Type", content_type),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
    ];
    let mut response = response.with_status_code(StatusCode(status));
    for (name, value) in headers {
        response.add_header(Header::from_bytes(name, value).expect("a valid header"));
    }
    let _ = request.respond(response);
}

fn respond_text(request: Request, status: u16, text: &str) {
    respond(
        request,
        Response::from_string(text),
        status,
        "text/plain; charset=utf-8",
    );
}

fn header(request: &Request, name: &'static str) -> Option<String> {
    request
        .headers()
        .iter()
        .find(|h| h.field.equiv(name))
        .map(|h| h.value.as_str().to_string())
}

/// Keeps a Server-Sent Events stream open: a `hello` with the current
/// build, then every rebuild event, and a comment now and then. Ends when
/// the page goes away or the server stops.
fn stream_events(request: Request, shared: &Shared) {
    let events = shared.subscribe();
    let hello = shared.hello_event();
    let mut writer = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if send(&mut writer, head).is_err() || send(&mut writer, &hello).is_err() {
        return;
    }
    loop {
        let sent = match events.recv_timeout(KEEP_ALIVE) {
            Ok(event) => send(&mut writer, &event),
            Err(RecvTimeoutError::Timeout) => send(&mut writer, ": keep-alive\n\n"),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if sent.is_err() {
            return;
        }
    }
}

fn send(writer: &mut impl Write, text: &str) -> std::io::Result<()> {
    writer.write_all(text.as_bytes())?;
    writer.flush()
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
            locate(&output, "/guides/trust/?a=1"),
            Located::File(output.join("guides/trust/index.html"))
        );
        assert_eq!(
            locate(&output, "/guides/trust?a=1"),
            Located::Redirect("/guides/trust/?a=1".into())
        );
        assert_eq!(locate(&output, "/nothing/"), Located::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), output.join("link.txt"))
                .unwrap();
            assert_eq!(locate(&output, "/link.txt"), Located::NotFound);
        }
    }
}
