//! `hearth serve`

use crate::serve::{ServeOptions, Server};

pub fn run(options: ServeOptions, open: bool) -> i32 {
    let server = match Server::start(&options) {
        Ok(server) => server,
        Err(error) => {
            eprintln!("hearth: {error:#}");
            return 1;
        }
    };
    let url = server.url();
    println!(
        "hearth: serving {} at {url} (from {}); press Ctrl-C to stop",
        options.root.display(),
        server.output_dir().display()
    );
    if open {
        open_browser(&url);
    }
    server.wait();
    0
}

/// Asks the desktop to open `url`; a failure only gets a message.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        std::process::Command::new("open").arg(url).spawn()
    } else if cfg!(windows) {
        std::process::Command::new("cmd")
            .args(["/C", "start", "", url])
            .spawn()
    } else {
        std::process::Command::new("xdg-open").arg(url).spawn()
    };
    if let Err(error) = command {
        eprintln!("hearth: cannot open a browser ({error}); open {url} yourself");
    }
}
