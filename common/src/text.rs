//! Plain-text rendering (`format: "txt"`): the same content as the PDF, in the classic
//! template's section order, UTF-8, for ATS portals that want text and for tests.
//!
//! Layout: the name, the title and a contact line; then each section as an upper-case heading
//! underlined with `=`, entries as `Title — Organization (dates)`, bullets as `- `.

use std::fmt::Write;

use crate::dates;
use crate::model::{
    CoverLetter, Document, Item, Note, PersonalInfo, Project, Resume, Role, SkillGroup,
};

/// Renders a document as plain text.
pub fn render(doc: &Document) -> String {
    let mut out = Out(String::new());
    match doc {
        Document::Resume(r) => resume(&mut out, r),
        Document::CoverLetter(c) => letter(&mut out, c),
    }
    let mut s = out.0.trim_end().to_owned();
    s.push('\n');
    s
}

struct Out(String);

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

fn header(out: &mut Out, p: &PersonalInfo) {
    out.line(&p.name);
    if let Some(t) = &p.title {
        out.line(t);
    }
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
    out.line(
        contact
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" | "),
    );
}

fn roles(out: &mut Out, title: &str, entries: &[Role]) {
    if entries.is_empty() {
        return;
    }
    out.heading(title);
    for e in entries {
        let range = dates::display_range(e.start_date.as_deref(), e.end_date.as_deref());
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
            out.line(format!("Courses: {}", e.courses.join(", ")));
        }
        out.bullets(&e.achievements);
        if !e.technologies.is_empty() {
            out.line(format!("Technologies: {}", e.technologies.join(", ")));
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
        let range = dates::display_range(p.start_date.as_deref(), p.end_date.as_deref());
        let head = join_some(&[Some(&p.name), p.url.as_deref()], " — ");
        out.entry(head, &range);
        if let Some(d) = &p.description {
            out.line(d);
        }
        if !p.tools.is_empty() {
            out.line(format!("Tools: {}", p.tools.join(", ")));
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
        let date = i.date.as_deref().map(dates::display);
        let authors = (!i.authors.is_empty()).then(|| i.authors.join(", "));
        let doi = i.doi.as_ref().map(|d| format!("DOI: {d}"));
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
            let _ = write!(line, ", {}", dates::display(d));
        }
        if let Some(d) = &n.description {
            let _ = write!(line, ": {d}");
        }
        out.line(format!("- {line}"));
    }
}

fn resume(out: &mut Out, r: &Resume) {
    header(out, &r.personal_info);
    if let Some(s) = &r.professional_summary {
        out.heading("Professional Summary");
        out.line(s);
    }
    if !r.core_competencies.is_empty() {
        out.heading("Core Competencies");
        out.bullets(&r.core_competencies);
    }
    roles(out, "Leadership Experience", &r.leadership_experience);
    roles(out, "Experience", &r.experience);
    if !r.education.is_empty() {
        out.heading("Education");
        for e in &r.education {
            let range = dates::display_range(e.start_date.as_deref(), e.end_date.as_deref());
            let school = with_url(Some(&e.institution), e.url.as_deref());
            let head = join_some(
                &[Some(&e.degree), school.as_deref(), e.location.as_deref()],
                " — ",
            );
            out.entry(head, &range);
            let focus = e.focus.as_ref().map(|f| format!("Focus: {f}"));
            let gpa = e.gpa.as_ref().map(|g| format!("GPA: {g}"));
            let extra = join_some(&[focus.as_deref(), gpa.as_deref()], " | ");
            if !extra.is_empty() {
                out.line(extra);
            }
            for (label, list, sep) in [
                ("Courses", &e.coursework, ", "),
                ("Projects", &e.projects, "; "),
                ("Honors", &e.honors, "; "),
            ] {
                if !list.is_empty() {
                    out.line(format!("- {label}: {}", list.join(sep)));
                }
            }
        }
    }
    if !r.relevant_coursework.is_empty() {
        out.heading("Relevant Coursework");
        for c in &r.relevant_coursework {
            out.line(match &c.description {
                Some(d) => format!("- {}: {d}", c.name),
                None => format!("- {}", c.name),
            });
        }
    }
    groups(out, "Technical Skills", &r.technical_skills);
    if !r.skills_matrix.is_empty() {
        out.heading("Skills Matrix");
        for (level, skills) in r.skills_matrix.levels() {
            if !skills.is_empty() {
                out.line(format!("{level}: {}", skills.join(", ")));
            }
        }
    }
    groups(out, "Technologies & Skills", &r.technologies_and_skills);
    projects(out, "Projects", &r.projects);
    projects(
        out,
        "Open Source Contributions",
        &r.open_source_contributions,
    );
    roles(out, "Research Experience", &r.research_experience);
    items(out, "Publications", &r.publications);
    items(out, "Technical Writing", &r.technical_writing);
    items(out, "Articles & Publications", &r.articles_and_publications);
    items(out, "Speaking Engagements", &r.speaking_engagements);
    items(out, "Awards & Honors", &r.awards_and_honors);
    if !r.achievements.is_empty() {
        out.heading("Achievements");
        out.bullets(&r.achievements);
    }
    if !r.certifications.is_empty() {
        out.heading("Certifications");
        for c in &r.certifications {
            let mut parts: Vec<&str> = c.category.iter().map(String::as_str).collect();
            parts.push(&c.name);
            let facts = c.facts();
            parts.extend(facts.iter().map(String::as_str));
            parts.extend(c.url.as_deref());
            out.line(format!("- {}", parts.join(" | ")));
        }
    }
    roles(out, "Teaching Experience", &r.teaching_experience);
    notes(out, "Mentorship", &r.mentorship);
    roles(out, "Volunteering", &r.volunteering);
    notes(out, "Languages", &r.languages);
    notes(
        out,
        "Professional Affiliations",
        &r.professional_affiliations,
    );
    items(out, "Patents & Intellectual Property", &r.patents);
    notes(out, "Industry Expertise", &r.industry_expertise);
    if !r.interests.is_empty() {
        out.heading("Interests");
        out.line(r.interests.join(", "));
    }
    if let Some(p) = &r.referral {
        out.heading("Referral");
        let who = join_some(
            &[Some(&p.name), p.title.as_deref(), p.company.as_deref()],
            ", ",
        );
        out.line(match &p.relationship {
            Some(rel) => format!("Referred by {who} ({rel})"),
            None => format!("Referred by {who}"),
        });
    }
    if !r.references.is_empty() || r.references_available.is_some() {
        out.heading("References");
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
}

fn letter(out: &mut Out, c: &CoverLetter) {
    header(out, &c.personal_info);
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
