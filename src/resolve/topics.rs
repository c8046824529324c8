//! Topics: names from front matter, one URL per slug; two spellings that
//! make the same slug are an error.

use super::{Guide, Journey};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::load::front_matter::KeyLines;
use crate::slug::slugify;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Topic {
    pub name: String,
    pub slug: String,
    /// `topics/<slug>/`
    pub path: String,
    /// Guide indices, newest first.
    pub guides: Vec<usize>,
    /// Journey indices.
    pub journeys: Vec<usize>,
    /// (journey, day) indices, in journey order.
    pub days: Vec<(usize, usize)>,
}

impl Topic {
    pub fn count(&self) -> usize {
        self.guides.len() + self.journeys.len() + self.days.len()
    }

    /// The part of its journeys, then guides, then days that falls in
    /// `items` (positions in that one list).
    pub fn page(&self, items: std::ops::Range<usize>) -> TopicSlice<'_> {
        let journeys = cut(&self.journeys, items.clone(), 0);
        let guides = cut(&self.guides, items.clone(), self.journeys.len());
        let days = cut(&self.days, items, self.journeys.len() + self.guides.len());
        TopicSlice {
            journeys,
            guides,
            days,
        }
    }
}

/// The items of a topic on one page of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TopicSlice<'a> {
    pub journeys: &'a [usize],
    pub guides: &'a [usize],
    pub days: &'a [(usize, usize)],
}

/// The part of `items`, which start at position `offset` of a longer list,
/// that falls in `range` of it.
fn cut<T>(items: &[T], range: std::ops::Range<usize>, offset: usize) -> &[T] {
    let start = range.start.saturating_sub(offset).min(items.len());
    let end = range.end.saturating_sub(offset).min(items.len());
    &items[start..end.max(start)]
}

/// The first spelling of each topic slug and where it was written.
#[derive(Default)]
struct Spellings {
    by_slug: BTreeMap<String, (String, PathBuf)>,
    /// The slug of each name met so far: most names are written on many
    /// files.
    slugs: HashMap<String, String>,
}

impl Spellings {
    /// The slug of `name`, or an error if it is empty or another spelling
    /// has it.
    fn slug_of(&mut self, name: &str, file: &Path, keys: &KeyLines) -> Result<String, Diagnostic> {
        let slug = match self.slugs.get(name) {
            Some(slug) => slug.clone(),
            None => {
                let slug = slugify(name);
                self.slugs.insert(name.to_string(), slug.clone());
                slug
            }
        };
        if slug.is_empty() {
            return Err(Diagnostic::error(
                file,
                format!("topics: \"{name}\" has no letters or digits"),
            )
            .at(keys.line("topics"))
            .help("name topics with words, e.g. `Trust`"));
        }
        match self.by_slug.get(&slug) {
            Some((first, _)) if first == name => Ok(slug),
            Some((first, first_file)) => Err(Diagnostic::error(
                file,
                format!("topics: \"{name}\" and \"{first}\" ({}) make the same topic URL /topics/{slug}/", first_file.display()),
            )
            .at(keys.line("topics"))
            .help(format!("spell the topic \"{first}\" everywhere"))),
            None => {
                self.by_slug.insert(slug.clone(), (name.to_string(), file.to_path_buf()));
                Ok(slug)
            }
        }
    }
}

/// The topics of each guide, journey and day, as indices into the topic
/// list, for [`Memberships::assign`] to give them.
pub struct Memberships {
    guides: Vec<Vec<usize>>,
    journeys: Vec<Vec<usize>>,
    /// By journey, then day.
    days: Vec<Vec<Vec<usize>>>,
}

impl Memberships {
    /// Sets the `topics` of each guide, journey and day (they were made
    /// from the same lists, in the same order).
    pub fn assign(self, guides: &mut [Guide], journeys: &mut [Journey]) {
        for (guide, topics) in guides.iter_mut().zip(self.guides) {
            guide.topics = topics;
        }
        for ((journey, topics), days) in journeys.iter_mut().zip(self.journeys).zip(self.days) {
            journey.topics = topics;
            for (day, topics) in journey.days.iter_mut().zip(days) {
                day.topics = topics;
            }
        }
    }
}

/// Builds the topic list (by name), and the topics of every guide, journey
/// and day. It only reads the site, so it can run beside other stages.
pub fn collect_topics(
    guides: &[Guide],
    journeys: &[Journey],
    diagnostics: &mut Diagnostics,
) -> (Vec<Topic>, Memberships) {
    let mut spellings = Spellings::default();
    let mut slugs_of = |names: &[String], file: &Path, keys: &KeyLines| -> Vec<String> {
        let mut slugs = Vec::new();
        for name in names {
            match spellings.slug_of(name, file, keys) {
                Ok(slug) if !slugs.contains(&slug) => slugs.push(slug),
                Ok(_) => {}
                Err(diagnostic) => diagnostics.push(diagnostic),
            }
        }
        slugs
    };
    let guide_slugs: Vec<Vec<String>> = guides
        .iter()
        .map(|g| slugs_of(&g.source.front.topics, &g.source.file, &g.source.keys))
        .collect();
    let journey_slugs: Vec<Vec<String>> = journeys
        .iter()
        .map(|j| slugs_of(&j.front.topics, &j.file, &j.keys))
        .collect();
    let day_slugs: Vec<Vec<Vec<String>>> = journeys
        .iter()
        .map(|j| {
            j.days
                .iter()
                .map(|d| slugs_of(&d.topic_names, &d.file, &d.keys))
                .collect()
        })
        .collect();

    let mut ordered: Vec<(String, String)> = spellings
        .by_slug
        .into_iter()
        .map(|(slug, (name, _))| (slug, name))
        .collect();
    ordered.sort_by(|a, b| {
        a.1.to_lowercase()
            .cmp(&b.1.to_lowercase())
            .then_with(|| a.0.cmp(&b.0))
    });
    let index_of: BTreeMap<&str, usize> = ordered
        .iter()
        .enumerate()
        .map(|(i, (slug, _))| (slug.as_str(), i))
        .collect();
    let mut topics: Vec<Topic> = ordered
        .iter()
        .map(|(slug, name)| Topic {
            name: name.clone(),
            slug: slug.clone(),
            path: format!("topics/{slug}/"),
            guides: Vec::new(),
            journeys: Vec::new(),
            days: Vec::new(),
        })
        .collect();
    let mut memberships = Memberships {
        guides: vec![Vec::new(); guides.len()],
        journeys: vec![Vec::new(); journeys.len()],
        days: journeys
            .iter()
            .map(|j| vec![Vec::new(); j.days.len()])
            .collect(),
    };
    for (g, slugs) in guide_slugs.iter().enumerate() {
        for slug in slugs {
            let topic = index_of[slug.as_str()];
            memberships.guides[g].push(topic);
            topics[topic].guides.push(g);
        }
    }
    for (j, slugs) in journey_slugs.iter().enumerate() {
        for slug in slugs {
            let topic = index_of[slug.as_str()];
            memberships.journeys[j].push(topic);
            topics[topic].journeys.push(j);
        }
        for (d, slugs) in day_slugs[j].iter().enumerate() {
            for slug in slugs {
                let topic = index_of[slug.as_str()];
                memberships.days[j][d].push(topic);
                topics[topic].days.push((j, d));
            }
        }
    }
    (topics, memberships)
}

#[cfg(test)]
mod page_tests {
    use super::Topic;

    #[test]
    fn a_page_of_a_topic_runs_through_journeys_guides_then_days() {
        let topic = Topic {
            name: "T".into(),
            slug: "t".into(),
            path: "topics/t/".into(),
            guides: vec![10, 11, 12],
            journeys: vec![0],
            days: vec![(0, 0), (0, 1)],
        };
        let first = topic.page(0..2);
        assert_eq!(
            (first.journeys, first.guides, first.days),
            (&[0][..], &[10][..], &[][..])
        );
        let second = topic.page(2..4);
        assert_eq!(
            (second.journeys, second.guides, second.days),
            (&[][..], &[11, 12][..], &[][..])
        );
        let third = topic.page(4..6);
        assert_eq!(third.days, &[(0, 0), (0, 1)][..]);
    }
}
