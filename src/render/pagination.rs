//! Lists that grow with the content, cut into pages of `[pagination]
//! per_page` items: the first page at the list's own URL (`guides/`), the
//! others at `guides/page/2/`, `guides/page/3/`, …
//!
//! How many pages a list has, which items each shows and where each is
//! written is decided here, for `render`, the sitemap and `serve` alike.

use crate::resolve::Site;
use serde::Serialize;
use std::ops::Range;

/// How many journeys, guides and topics the home page shows; each section
/// links to the whole list.
pub const HOME_JOURNEYS: usize = 6;
pub const HOME_GUIDES: usize = 6;
pub const HOME_TOPICS: usize = 12;

/// A paginated list of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum List {
    Guides,
    Journeys,
    /// A topic's journeys, guides and days, in that order.
    Topic(usize),
}

impl List {
    /// The site path of its first page.
    pub fn first_path(self, site: &Site) -> &str {
        match self {
            List::Guides => "guides/",
            List::Journeys => "journeys/",
            List::Topic(t) => &site.topics[t].path,
        }
    }

    /// How many items it has in all.
    pub fn len(self, site: &Site) -> usize {
        match self {
            List::Guides => site.guides.len(),
            List::Journeys => site.journeys.len(),
            List::Topic(t) => site.topics[t].count(),
        }
    }

    /// How many pages it takes (at least one, even when empty).
    pub fn page_count(self, site: &Site) -> usize {
        self.len(site).div_ceil(per_page(site)).max(1)
    }

    /// The site path of page `number` (from 1).
    pub fn page_path(self, site: &Site, number: usize) -> String {
        page_path(self.first_path(site), number)
    }

    /// The items page `number` shows, as indices into the whole list.
    pub fn items(self, site: &Site, number: usize) -> Range<usize> {
        let per_page = per_page(site);
        let start = (number - 1) * per_page;
        start.min(self.len(site))..(start + per_page).min(self.len(site))
    }
}

fn per_page(site: &Site) -> usize {
    site.config.config.pagination.per_page
}

/// `guides/` and 1 → `guides/`; `guides/` and 3 → `guides/page/3/`.
pub fn page_path(first: &str, number: usize) -> String {
    if number <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{number}/")
    }
}

/// The `pagination` key of a list page.
#[derive(Debug, Serialize)]
pub struct Pagination {
    /// This page's number, from 1.
    pub number: usize,
    pub total: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    /// The numbered links to show: the first and last page and those
    /// around this one; `gap_before` marks a run of pages left out.
    pub links: Vec<PageLink>,
}

#[derive(Debug, Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    pub gap_before: bool,
}

/// Pages either side of the current one that get a numbered link.
const NEIGHBOURS: usize = 2;

impl Pagination {
    /// Page `number` (from 1) of `list`.
    pub fn new(site: &Site, list: List, number: usize) -> Pagination {
        let total = list.page_count(site);
        let url = |n: usize| site.link(&list.page_path(site, n));
        let shown = |n: usize| n == 1 || n == total || n.abs_diff(number) <= NEIGHBOURS;
        let mut links = Vec::new();
        let mut last = 0;
        for n in (1..=total).filter(|&n| shown(n)) {
            links.push(PageLink {
                number: n,
                url: url(n),
                current: n == number,
                gap_before: n > last + 1,
            });
            last = n;
        }
        Pagination {
            number,
            total,
            prev: (number > 1).then(|| url(number - 1)),
            next: (number < total).then(|| url(number + 1)),
            links,
        }
    }

    /// `Guides` on the first page, `Guides — Page 2 of 9` on the others.
    pub fn title(&self, title: &str) -> String {
        if self.number <= 1 {
            title.to_string()
        } else {
            format!("{title} — Page {} of {}", self.number, self.total)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::page_path;

    #[test]
    fn the_first_page_keeps_the_list_url() {
        assert_eq!(page_path("guides/", 1), "guides/");
        assert_eq!(page_path("guides/", 2), "guides/page/2/");
        assert_eq!(page_path("topics/trust/", 10), "topics/trust/page/10/");
    }
}
