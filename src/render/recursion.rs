//! Template recursion, found before anything renders: a template that
//! includes itself (directly or through others), macros that call each
//! other in a circle, and imports in a circle. Tera has no depth limit, so
//! rendering any of these overflows the stack and aborts the process.
//!
//! The templates' tags are read into a graph — templates and their macros
//! are the nodes; `include`, `extends` and macro calls the edges — and
//! every cycle in it is an error naming the templates on it. Recursive
//! macros are refused with the rest: hearth's pages are flat, and a macro
//! that stops by itself cannot be told from one that does not.

use super::references::{quoted_strings, tags};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A cycle found: where it starts, and what it goes through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle {
    /// The template whose tag starts the cycle.
    pub template: String,
    pub line: usize,
    /// `a.html includes b.html, which includes a.html`.
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Template(String),
    /// (template, macro name)
    Macro(String, String),
}

impl Node {
    fn template(&self) -> &str {
        match self {
            Node::Template(name) | Node::Macro(name, _) => name,
        }
    }

    fn describe(&self) -> String {
        match self {
            Node::Template(name) => name.clone(),
            Node::Macro(template, name) => format!("macro `{name}` of {template}"),
        }
    }
}

#[derive(Debug, Clone)]
struct Edge {
    to: Node,
    /// Line of the tag in the template of the edge's start.
    line: usize,
    verb: &'static str,
}

type Graph = BTreeMap<Node, Vec<Edge>>;

/// The nodes of a walk, each with the edge taken out of it.
type Path = [(Node, Option<Edge>)];

/// Every cycle among `templates` (name, text): rendering through an
/// `include`, `extends` or macro call, and loading macros through
/// `import`.
pub fn find_cycles(templates: &[(&str, &str)]) -> Vec<Cycle> {
    let (render, imports) = build_graphs(templates);
    let mut cycles = cycles_of(&render);
    cycles.extend(cycles_of(&imports));
    cycles
}

/// The graph of what rendering goes through, and the graph of imports.
fn build_graphs(templates: &[(&str, &str)]) -> (Graph, Graph) {
    let mut render = Graph::new();
    let mut imports = Graph::new();
    let own = own_namespaces(templates, &mut imports);
    let parents: HashMap<&str, String> = templates
        .iter()
        .filter_map(|&(name, text)| {
            let tag = tags(text).find(|tag| tag.statement && tag.keyword() == "extends")?;
            Some((
                name,
                quoted_strings(tag.after_keyword()).into_iter().next()?,
            ))
        })
        .collect();
    for &(name, text) in templates {
        let line_of = |offset: usize| text[..offset].matches('\n').count() + 1;
        // A child template can call the macros its parents import.
        let mut namespaces: HashMap<String, String> = HashMap::new();
        let mut ancestor = Some(name.to_string());
        for _ in 0..=templates.len() {
            let Some(current) = ancestor else { break };
            for (alias, file) in own.get(current.as_str()).into_iter().flatten() {
                namespaces
                    .entry(alias.clone())
                    .or_insert_with(|| file.clone());
            }
            ancestor = parents.get(current.as_str()).cloned();
        }
        namespaces.insert("self".into(), name.to_string());
        let mut current_macro: Option<String> = None;
        for tag in tags(text) {
            let line = line_of(tag.offset);
            let from = match &current_macro {
                Some(m) => Node::Macro(name.to_string(), m.clone()),
                None => Node::Template(name.to_string()),
            };
            let mut edges = Vec::new();
            if tag.statement {
                match tag.keyword() {
                    "macro" => {
                        current_macro =
                            identifier(tag.after_keyword().trim_start()).map(str::to_string);
                    }
                    "endmacro" => current_macro = None,
                    "include" | "extends" => {
                        let verb = if tag.keyword() == "include" {
                            "includes"
                        } else {
                            "extends"
                        };
                        for target in quoted_strings(tag.after_keyword()) {
                            edges.push(Edge {
                                to: Node::Template(target),
                                line,
                                verb,
                            });
                        }
                    }
                    _ => {}
                }
            }
            for (namespace, called) in macro_calls(tag.body) {
                if let Some(file) = namespaces.get(namespace) {
                    edges.push(Edge {
                        to: Node::Macro(file.clone(), called.to_string()),
                        line,
                        verb: "calls",
                    });
                }
            }
            if !edges.is_empty() {
                render.entry(from).or_default().extend(edges);
            }
        }
    }
    (render, imports)
}

/// Each template's `import "file" as alias` namespaces; the imports also
/// go into `imports` as edges.
fn own_namespaces<'a>(
    templates: &[(&'a str, &str)],
    imports: &mut Graph,
) -> HashMap<&'a str, HashMap<String, String>> {
    let mut all = HashMap::new();
    for &(name, text) in templates {
        let mut namespaces = HashMap::new();
        for tag in tags(text).filter(|tag| tag.statement && tag.keyword() == "import") {
            let rest = tag.after_keyword();
            let (Some(file), Some((_, alias))) = (
                quoted_strings(rest).into_iter().next(),
                rest.rsplit_once(" as "),
            ) else {
                continue;
            };
            namespaces.insert(alias.trim().to_string(), file.clone());
            imports
                .entry(Node::Template(name.to_string()))
                .or_default()
                .push(Edge {
                    to: Node::Template(file),
                    line: text[..tag.offset].matches('\n').count() + 1,
                    verb: "imports",
                });
        }
        all.insert(name, namespaces);
    }
    all
}

/// The leading identifier of `text`.
fn identifier(text: &str) -> Option<&str> {
    let end = text
        .find(|c: char| !(c.is_alphanumeric() || c == '_'))
        .unwrap_or(text.len());
    (end > 0).then(|| &text[..end])
}

/// `namespace::name(` calls in a tag's body.
fn macro_calls(body: &str) -> Vec<(&str, &str)> {
    let mut calls = Vec::new();
    for (index, _) in body.match_indices("::") {
        let before = &body[..index];
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let namespace = &before[start..];
        let Some(name) = identifier(&body[index + 2..]) else {
            continue;
        };
        let after = body[index + 2 + name.len()..].trim_start();
        if !namespace.is_empty() && after.starts_with('(') {
            calls.push((namespace, name));
        }
    }
    calls
}

/// One [`Cycle`] per distinct set of nodes that loop, found by a depth-first
/// walk from every node in order.
fn cycles_of(graph: &Graph) -> Vec<Cycle> {
    let mut found: Vec<Cycle> = Vec::new();
    let mut seen_sets: BTreeSet<Vec<Node>> = BTreeSet::new();
    let mut done: BTreeSet<Node> = BTreeSet::new();
    for start in graph.keys() {
        let mut path: Vec<(Node, Option<Edge>)> = Vec::new();
        walk(graph, start, &mut path, &mut done, &mut |cycle| {
            let mut set: Vec<Node> = cycle.iter().map(|(node, _)| node.clone()).collect();
            set.sort();
            if seen_sets.insert(set) {
                found.push(describe_cycle(cycle));
            }
        });
    }
    found
}

/// Depth-first from `node`; `path` holds the nodes on the way with the
/// edge taken out of each. Calls `report` with the path of each cycle.
fn walk(
    graph: &Graph,
    node: &Node,
    path: &mut Vec<(Node, Option<Edge>)>,
    done: &mut BTreeSet<Node>,
    report: &mut dyn FnMut(&Path),
) {
    if done.contains(node) {
        return;
    }
    path.push((node.clone(), None));
    for edge in graph.get(node).into_iter().flatten() {
        if let Some(last) = path.last_mut() {
            last.1 = Some(edge.clone());
        }
        match path.iter().position(|(on_path, _)| *on_path == edge.to) {
            Some(index) => report(&path[index..]),
            None => walk(graph, &edge.to, path, done, report),
        }
    }
    path.pop();
    done.insert(node.clone());
}

/// `a.html includes b.html, which includes a.html`, placed at the first
/// edge's tag.
fn describe_cycle(cycle: &Path) -> Cycle {
    let (first, first_edge) = &cycle[0];
    let mut description = first.describe();
    for (index, (_, edge)) in cycle.iter().enumerate() {
        let Some(edge) = edge else { continue };
        if index > 0 {
            description.push_str(", which");
        }
        description.push_str(&format!(" {} {}", edge.verb, edge.to.describe()));
    }
    Cycle {
        template: first.template().to_string(),
        line: first_edge.as_ref().map_or(1, |edge| edge.line),
        description,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn descriptions(templates: &[(&str, &str)]) -> Vec<String> {
        find_cycles(templates)
            .into_iter()
            .map(|c| format!("{}:{}: {}", c.template, c.line, c.description))
            .collect()
    }

    #[test]
    fn a_template_including_itself() {
        assert_eq!(
            descriptions(&[("page.html", "<p>\n{% include \"page.html\" %}")]),
            ["page.html:2: page.html includes page.html"]
        );
    }

    #[test]
    fn an_include_cycle_of_two() {
        assert_eq!(
            descriptions(&[
                ("a.html", "{% include \"b.html\" %}"),
                ("b.html", "x\n{%- include 'a.html' -%}"),
            ]),
            ["a.html:1: a.html includes b.html, which includes a.html"]
        );
    }

    #[test]
    fn a_macro_calling_itself_or_another_in_a_circle() {
        let own = "{% macro walk(n) %}{{ self::walk(n=n) }}{% endmacro walk %}";
        assert_eq!(
            descriptions(&[("macros.html", own)]),
            ["macros.html:1: macro `walk` of macros.html calls macro `walk` of macros.html"]
        );
        let pair = "{% import \"m.html\" as m %}\n{% macro a() %}{{ m::b() }}{% endmacro %}\n{% macro b() %}\n{% if true %}{{ self::a() }}{% endif %}{% endmacro %}";
        assert_eq!(descriptions(&[("m.html", pair)]).len(), 2);
    }

    #[test]
    fn extends_and_include_together() {
        assert_eq!(
            descriptions(&[
                ("base.html", "{% include \"page.html\" %}"),
                ("page.html", "{% extends \"base.html\" %}"),
            ]),
            ["base.html:1: base.html includes page.html, which extends base.html"]
        );
    }

    #[test]
    fn an_import_cycle() {
        assert_eq!(
            descriptions(&[
                ("a.html", "{% import \"b.html\" as b %}"),
                ("b.html", "{% import \"a.html\" as a %}"),
            ]),
            ["a.html:1: a.html imports b.html, which imports a.html"]
        );
    }

    #[test]
    fn no_cycle_in_ordinary_templates() {
        let templates = [
            ("base.html", "{% import \"macros.html\" as m %}{% block main %}{% endblock %}{% include \"footer.html\" %}"),
            ("page.html", "{% extends \"base.html\" %}{% block main %}{{ m::card(x=1) }}{# self::x() #}{% endblock %}"),
            ("macros.html", "{% macro card(x) %}{{ self::chip(x=x) }}{% endmacro %}{% macro chip(x) %}{{ x }}{% endmacro %}"),
            ("footer.html", "{% raw %}{% include \"footer.html\" %}{% endraw %}<footer>"),
        ];
        assert_eq!(descriptions(&templates), Vec::<String>::new());
    }
}
