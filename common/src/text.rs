//! Plain-text rendering (`format: "txt"`): the same content as the PDF, with the template's
//! sections in its order (a two-column template's sidebar first, as its PDF reads), UTF-8,
//! for ATS portals that want text and for tests.
//!
//! Layout: the name, the title and a contact line; then each section as an upper-case heading
//! underlined with `=`, entries as `Title — Organization (dates)`, bullets as `- `.

use std::fmt::Write;

use crate::dates;
use crate::i18n::Locale;
use crate::layout::{self, Column, Kind, Options};
use crate::model::{
    CoverLetter, CustomSection, Document, Item, Note, PersonalInfo, Project, Resume, Role,
    SkillGroup,
};
use crate::render::Template;

/// Renders a document as plain text with a template's layout and the request's options.
pub fn render(template: &Template, doc: &Document, options: &Options) -> String {
    let mut out = Out(String::new(), options.locale);
    match doc {
        Document::Resume(r) => resume(&mut out, template, r, options),
        Document::CoverLetter(c) => letter(&mut out, c),
    }
    let mut s = out.0.trim_end().to_owned();
    s.push('\n');
    s
}

struct Out(String, Locale);

impl Out {
    /// Every line goes through here, so inline markup is printed as plain text once.
    fn line(&mut self, s: impl AsRef<str>) {
        self.0.push_str(&crate::markup::plain(s.as_ref()));
        self.0.push('\n');
    }

    fn heading(&mut self, title: &str) {
        self.0.push('\n');
        self.line(title.to_uppercase());
        self.line("=".repeat(title.chars().count()));
    }

    /// An entry's first line: `head (range)`, or `head` when there are no dates.
    fn entry(&mut self, head: String, range: &str) {
        if range.is_empty() {
            self.line(head);
        } else {
            self.line(format!("{head} ({range})"));
        }
    }

    fn bullets(&mut self, items: &[String]) {
        for b in items {
            self.line(format!("- {b}"));
        }
    }
}

fn join_some(parts: &[Option<&str>], sep: &str) -> String {
    parts
        .iter()
        .flatten()
        .copied()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(sep)
}

/// `Name <url>`, or whichever of the two exists.
fn with_url(name: Option<&str>, url: Option<&str>) -> Option<String> {
    match (name, url) {
        (Some(n), Some(u)) => Some(format!("{n} <{u}>")),
        (n, u) => n.or(u).map(str::to_owned),
    }
}

/// The contact items with their addresses, as the header line and the Contact section print them.
fn contact_items(p: &PersonalInfo) -> Vec<String> {
    let links = [
        (&p.website_display, &p.website),
        (&p.linkedin_display, &p.linkedin),
        (&p.github_display, &p.github),
        (&p.twitter_display, &p.twitter),
        (&p.x_display, &p.x),
    ];
    let mut contact = vec![p.location.clone(), p.email.clone(), p.phone.clone()];
    contact.extend(links.iter().map(|(d, u)| match (d, u) {
        (Some(d), Some(u)) if !u.ends_with(d.as_str()) => Some(format!("{d} <{u}>")),
        (_, Some(u)) => Some(u.clone()),
        _ => None,
    }));
    contact.extend(p.profiles.iter().map(|prof| match &prof.url {
        Some(u) if !u.ends_with(&prof.shown()) => Some(format!("{} <{u}>", prof.shown())),
        Some(u) => Some(u.clone()),
        None => Some(prof.shown()),
    }));
    contact.into_iter().flatten().collect()
}

fn header(out: &mut Out, p: &PersonalInfo, contact_line: bool) {
    out.line(&p.name);
    if let Some(t) = &p.title {
        out.line(t);
    }
    if contact_line {
        out.line(contact_items(p).join(" | "));
    }
}

fn roles(out: &mut Out, title: &str, entries: &[Role]) {
    if entries.is_empty() {
        return;
    }
    out.heading(title);
    for e in entries {
        let range = dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), out.1);
        let org = with_url(e.organization.as_deref(), e.url.as_deref());
        let head = join_some(
            &[Some(&e.title), org.as_deref(), e.location.as_deref()],
            " — ",
        );
        out.entry(head, &range);
        if let Some(d) = &e.description {
            out.line(d);
        }
        if !e.courses.is_empty() {
            out.line(format!(
                "{}: {}",
                out.1.get("label.courses"),
                e.courses.join(", ")
            ));
        }
        out.bullets(&e.achievements);
        if !e.technologies.is_empty() {
            out.line(format!(
                "{}: {}",
                out.1.get("label.technologies"),
                e.technologies.join(", ")
            ));
        }
    }
}

fn groups(out: &mut Out, title: &str, groups: &[SkillGroup]) {
    if groups.is_empty() {
        return;
    }
    out.heading(title);
    for g in groups {
        if g.category.is_empty() {
            out.line(g.skills.join(", "));
        } else {
            out.line(format!("{}: {}", g.category, g.skills.join(", ")));
        }
    }
}

fn projects(out: &mut Out, title: &str, entries: &[Project]) {
    if entries.is_empty() {
        return;
    }
    out.heading(title);
    for p in entries {
        let range = dates::display_range_in(p.start_date.as_deref(), p.end_date.as_deref(), out.1);
        let head = join_some(&[Some(&p.name), p.url.as_deref()], " — ");
        out.entry(head, &range);
        if let Some(d) = &p.description {
            out.line(d);
        }
        if !p.tools.is_empty() {
            out.line(format!(
                "{}: {}",
                out.1.get("label.tools"),
                p.tools.join(", ")
            ));
        }
        out.bullets(&p.achievements);
    }
}

fn items(out: &mut Out, title: &str, entries: &[Item]) {
    if entries.is_empty() {
        return;
    }
    out.heading(title);
    for i in entries {
        let date = i.date.as_deref().map(|d| dates::display_in(d, out.1));
        let authors = (!i.authors.is_empty()).then(|| i.authors.join(", "));
        let doi = i
            .doi
            .as_ref()
            .map(|d| format!("{}: {d}", out.1.get("label.doi")));
        let line = join_some(
            &[
                Some(&i.title),
                authors.as_deref(),
                i.source.as_deref(),
                i.location.as_deref(),
                i.number.as_deref(),
                date.as_deref(),
                doi.as_deref(),
                i.url.as_deref(),
            ],
            " | ",
        );
        out.line(format!("- {line}"));
        if let Some(d) = &i.description {
            out.line(format!("  {d}"));
        }
    }
}

fn notes(out: &mut Out, title: &str, entries: &[Note]) {
    if entries.is_empty() {
        return;
    }
    out.heading(title);
    for n in entries {
        let mut line = n.name.clone();
        if let Some(d) = &n.detail {
            let _ = write!(line, " ({d})");
        }
        if let Some(d) = &n.date {
            let _ = write!(line, ", {}", dates::display_in(d, out.1));
        }
        if let Some(d) = &n.description {
            let _ = write!(line, ": {d}");
        }
        out.line(format!("- {line}"));
    }
}

fn resume(out: &mut Out, template: &Template, r: &Resume, options: &Options) {
    let placed = layout::place(template, Some(r), options);
    let has_contact = placed.iter().any(|p| p.kind == Kind::Contact);
    header(out, &r.personal_info, !has_contact);
    let order = layout::column(&placed, Column::Sidebar)
        .into_iter()
        .chain(layout::column(&placed, Column::Main));
    for sec in order {
        section(out, r, &sec.key, sec.kind, &sec.title, sec.custom);
    }
}

/// One placed section, by its kind.
fn section(out: &mut Out, r: &Resume, key: &str, kind: Kind, title: &str, custom: Option<usize>) {
    let l = out.1;
    match kind {
        Kind::Contact => {
            out.heading(title);
            for c in contact_items(&r.personal_info) {
                out.line(c);
            }
        }
        Kind::Summary => {
            out.heading(title);
            out.line(r.professional_summary.as_deref().unwrap_or_default());
        }
        Kind::Bullets => {
            out.heading(title);
            out.bullets(layout::strings_of(r, key));
        }
        Kind::Inline => {
            out.heading(title);
            out.line(layout::strings_of(r, key).join(", "));
        }
        Kind::Roles => roles(out, title, layout::roles_of(r, key)),
        Kind::Education => education(out, title, r),
        Kind::Courses => {
            out.heading(title);
            for c in &r.relevant_coursework {
                out.line(match &c.description {
                    Some(d) => format!("- {}: {d}", c.name),
                    None => format!("- {}", c.name),
                });
            }
        }
        Kind::Groups => groups(out, title, layout::groups_of(r, key)),
        Kind::Matrix => {
            out.heading(title);
            for (level, skills) in r.skills_matrix.titled(l) {
                out.line(format!("{level}: {}", skills.join(", ")));
            }
        }
        Kind::Projects => projects(out, title, layout::projects_of(r, key)),
        Kind::Items => items(out, title, layout::items_of(r, key)),
        Kind::Certifications => {
            out.heading(title);
            for c in &r.certifications {
                let mut parts: Vec<&str> = c.category.iter().map(String::as_str).collect();
                parts.push(&c.name);
                let facts = c.facts(l);
                parts.extend(facts.iter().map(String::as_str));
                parts.extend(c.url.as_deref());
                out.line(format!("- {}", parts.join(" | ")));
            }
        }
        Kind::Notes | Kind::Languages => notes(out, title, layout::notes_of(r, key)),
        Kind::Referral => {
            if let Some(p) = &r.referral {
                out.heading(title);
                let who = join_some(
                    &[Some(&p.name), p.title.as_deref(), p.company.as_deref()],
                    ", ",
                );
                let by = l.get("label.referred_by");
                out.line(match &p.relationship {
                    Some(rel) => format!("{by} {who} ({rel})"),
                    None => format!("{by} {who}"),
                });
            }
        }
        Kind::References => references(out, title, r),
        Kind::Custom => {
            if let Some(c) = custom.and_then(|i| r.custom_sections.get(i)) {
                custom_section(out, title, c);
            }
        }
    }
}

fn education(out: &mut Out, title: &str, r: &Resume) {
    let l = out.1;
    out.heading(title);
    for e in &r.education {
        let range = dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), l);
        let school = with_url(Some(&e.institution), e.url.as_deref());
        let head = join_some(
            &[Some(&e.degree), school.as_deref(), e.location.as_deref()],
            " — ",
        );
        out.entry(head, &range);
        let focus = e
            .focus
            .as_ref()
            .map(|f| format!("{}: {f}", l.get("label.focus")));
        let gpa = e
            .gpa
            .as_ref()
            .map(|g| format!("{}: {g}", l.get("label.gpa")));
        let extra = join_some(&[focus.as_deref(), gpa.as_deref()], " | ");
        if !extra.is_empty() {
            out.line(extra);
        }
        for (label, list, sep) in [
            ("label.courses", &e.coursework, ", "),
            ("label.projects", &e.projects, "; "),
            ("label.honors", &e.honors, "; "),
        ] {
            if !list.is_empty() {
                out.line(format!("- {}: {}", l.get(label), list.join(sep)));
            }
        }
    }
}

fn references(out: &mut Out, title: &str, r: &Resume) {
    out.heading(title);
    for p in &r.references {
        out.line(format!(
            "- {}",
            join_some(
                &[
                    Some(&p.name),
                    p.title.as_deref(),
                    p.company.as_deref(),
                    p.email.as_deref(),
                    p.phone.as_deref()
                ],
                ", "
            )
        ));
        if let Some(s) = &p.statement {
            out.line(format!("  \"{s}\""));
        }
    }
    if let Some(a) = &r.references_available {
        out.line(a);
    }
}

fn custom_section(out: &mut Out, title: &str, c: &CustomSection) {
    let l = out.1;
    out.heading(title);
    for e in &c.entries {
        let range = dates::display_range_in(e.start_date.as_deref(), e.end_date.as_deref(), l);
        let head = join_some(
            &[
                with_url(Some(&e.title), e.url.as_deref()).as_deref(),
                e.subtitle.as_deref(),
                e.location.as_deref(),
            ],
            " — ",
        );
        out.entry(head, &range);
        if let Some(d) = &e.description {
            out.line(d);
        }
        out.bullets(&e.bullets);
    }
    out.bullets(&c.items);
}

fn letter(out: &mut Out, c: &CoverLetter) {
    header(out, &c.personal_info, true);
    out.line("");
    if let Some(r) = &c.recipient {
        for l in r.lines() {
            out.line(l);
        }
        out.line("");
    }
    out.line(&c.date);
    out.line("");
    out.line(&c.salutation);
    for p in &c.body {
        out.line("");
        out.line(p);
    }
    out.line("");
    out.line(&c.closing);
    out.line("");
    out.line(&c.personal_info.name);
}

#[cfg(test)]
mod tests;
