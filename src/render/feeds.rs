//! Files with a format of their own: sitemap.xml, atom.xml, robots.txt and
//! the redirect pages of old URLs.

use super::pagination::List;
use crate::markdown::escape_html;
use crate::resolve::{Alias, Site};

/// How many guides the Atom feed carries.
const FEED_ENTRIES: usize = 20;

/// Every HTML page but 404 and redirects, with `lastmod` where known.
pub fn sitemap(site: &Site) -> String {
    let base = &site.config.base_url;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    sitemap_entries(site, |path, lastmod| {
        xml.push_str("  <url><loc>");
        xml.push_str(&escape_html(&uri(&base.absolute(path))));
        xml.push_str("</loc>");
        if let Some(date) = lastmod {
            xml.push_str("<lastmod>");
            xml.push_str(&escape_html(date));
            xml.push_str("</lastmod>");
        }
        xml.push_str("</url>\n");
    });
    xml.push_str("</urlset>\n");
    xml
}

/// What decides [`sitemap`]'s bytes, hashed without writing them: the
/// site's address and each entry's path and `lastmod`. (The sitemap is
/// fingerprinted after every `serve` rebuild; making its 16,000 absolute
/// URLs to hash them cost more than the rest of a title edit's pages.)
pub fn sitemap_fingerprint(site: &Site) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = crate::hash::ContentHasher::default();
    site.config.base_url.root().hash(&mut hasher);
    sitemap_entries(site, |path, lastmod| {
        path.hash(&mut hasher);
        lastmod.hash(&mut hasher);
    });
    hasher.finish()
}

/// The sitemap's entries in order: each page's site path, with its date.
fn sitemap_entries(site: &Site, mut entry: impl FnMut(&str, Option<&str>)) {
    entry("", None);
    entry("topics/", None);
    for list in [List::Guides, List::Journeys] {
        for number in 1..=list.page_count(site) {
            entry(&list.page_path(site, number), None);
        }
    }
    for guide in &site.guides {
        let front = &guide.source.front;
        entry(
            &guide.path,
            front.updated.as_deref().or(front.date.as_deref()),
        );
    }
    for journey in &site.journeys {
        entry(&journey.path, None);
        for week in &journey.weeks {
            entry(&week.path, None);
        }
        for day in &journey.days {
            entry(&day.path, None);
        }
    }
    for t in 0..site.topics.len() {
        let list = List::Topic(t);
        for number in 1..=list.page_count(site) {
            entry(&list.page_path(site, number), None);
        }
    }
    for page in &site.pages {
        entry(&page.path, None);
    }
}

/// The newest guides as an Atom feed (RFC 4287). Its `updated` is the
/// newest guide's date, so the same content gives the same file.
pub fn atom(site: &Site) -> String {
    let config = &site.config.config;
    let base = &site.config.base_url;
    let timestamp = |date: &str| format!("{date}T00:00:00Z");
    let dated = |g: &&crate::resolve::Guide| {
        let front = &g.source.front;
        front.updated.clone().or(front.date.clone())
    };
    let newest = site
        .guides
        .iter()
        .filter_map(|g| dated(&g))
        .max()
        .unwrap_or_else(|| "1970-01-01".into());
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"{}\">\n  <title>{}</title>\n",
        escape_html(&config.language),
        escape_html(&config.title)
    );
    if !config.description.is_empty() {
        xml.push_str(&format!(
            "  <subtitle>{}</subtitle>\n",
            escape_html(&config.description)
        ));
    }
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n  <id>{}</id>\n  <updated>{}</updated>\n",
        escape_html(&base.absolute("atom.xml")),
        escape_html(&base.root()),
        escape_html(&base.root()),
        timestamp(&newest)
    ));
    for guide in site.guides.iter().take(FEED_ENTRIES) {
        let front = &guide.source.front;
        let url = escape_html(&uri(&base.absolute(&guide.path)));
        let updated = dated(&guide).unwrap_or_else(|| newest.clone());
        xml.push_str(&format!(
            "  <entry>\n    <title>{}</title>\n    <link rel=\"alternate\" type=\"text/html\" href=\"{url}\"/>\n    <id>{url}</id>\n    <updated>{}</updated>\n",
            escape_html(&front.title),
            timestamp(&updated)
        ));
        if let Some(date) = &front.date {
            xml.push_str(&format!("    <published>{}</published>\n", timestamp(date)));
        }
        let author = if front.author.is_empty() {
            &config.title
        } else {
            &front.author
        };
        xml.push_str(&format!(
            "    <author><name>{}</name></author>\n",
            escape_html(author)
        ));
        if !front.description.is_empty() {
            xml.push_str(&format!(
                "    <summary>{}</summary>\n",
                escape_html(&front.description)
            ));
        }
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

/// A URL as the sitemap and feed standards want it: ASCII only, the rest
/// percent-encoded (topic and guide slugs may have any letters).
fn uri(url: &str) -> String {
    percent_encoding::utf8_percent_encode(url, crate::config::URL_PATH).to_string()
}

pub fn robots(site: &Site) -> String {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.config.base_url.absolute("sitemap.xml")
    )
}

/// A page at an old URL that sends the reader (and search engines) on.
pub fn alias(site: &Site, alias: &Alias) -> String {
    let guide = &site.guides[alias.guide];
    let target = escape_html(&site.config.base_url.absolute(&guide.path));
    let title = escape_html(&guide.source.front.title);
    format!(
            "<!doctype html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<link rel=\"canonical\" href=\"{target}\">\n<meta name=\"robots\" content=\"noindex\">\n<meta http-equiv=\"refresh\" content=\"0; url={target}\">\n</head>\n<body>\n<main><p>This page has moved to <a href=\"{target}\">{title}</a>.</p></main>\n</body>\n</html>\n",
        escape_html(&site.config.config.language)
    )
}
