//! Markup reading and splitting, as tables.

use crate::markup::{Piece, from_html, inline, plain, split_bullets};

fn piece(text: &str, bold: bool, italic: bool, link: Option<&str>) -> Piece {
    Piece {
        text: text.to_owned(),
        bold,
        italic,
        link: link.map(str::to_owned),
    }
}

#[test]
fn html_becomes_the_canonical_markdown() {
    let cases = [
        ("plain R&D text", "plain R&D text"),
        ("<b>Led</b> a <strong>team</strong>", "**Led** a **team**"),
        ("<i>fast</i> and <em>safe</em>", "*fast* and *safe*"),
        ("one<br>two<br/>three", "one\ntwo\nthree"),
        ("<p>First.</p><p>Second.</p>", "First.\n\nSecond."),
        ("Did:<ul><li>A</li><li>B</li></ul>", "Did:\n\n- A\n- B"),
        (
            r#"See <a href="https://x.org/a?b=1&amp;c=2">docs</a>."#,
            "See [docs](https://x.org/a?b=1&c=2).",
        ),
        (r#"<a href="javascript:alert(1)">bad</a>"#, "bad"),
        (
            "<span style=\"color:red\">red</span> <div>x</div>",
            "red\n\nx",
        ),
        (
            "Caf&eacute; &amp; bar &#8364; &#x41; &lt;tag&gt;&nbsp;x",
            "Café & bar € A <tag>\u{A0}x",
        ),
        (
            "a < b > c and <Company> and <3",
            "a < b > c and <Company> and <3",
        ),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
        ("<a href='https://x.org'>unclosed", "unclosed"),
        ("&éééééééé; R&Dü", "&éééééééé; R&Dü"),
        ("&amp;lt;b&amp;gt;x&amp;lt;/b&amp;gt;", "**x**"),
    ];
    for (input, want) in cases {
        assert_eq!(from_html(input), want, "input {input:?}");
    }
}

#[test]
fn inline_markdown_is_split_into_pieces() {
    assert_eq!(
        inline("**Led** a *small* [team](https://x.org)"),
        [
            piece("Led", true, false, None),
            piece(" a ", false, false, None),
            piece("small", false, true, None),
            piece(" ", false, false, None),
            piece("team", false, false, Some("https://x.org")),
        ]
    );
    assert_eq!(
        inline("**bold _and italic_**"),
        [
            piece("bold ", true, false, None),
            piece("and italic", true, true, None)
        ]
    );
    // Literal: unclosed, spaced, intraword underscores, bad link targets, arithmetic.
    for literal in [
        "a * b * c",
        "snake_case_name",
        "2 * 3 = 6",
        "**unclosed",
        "[x](javascript:alert(1))",
        "C++ / C*",
        "[not a link]",
        "_",
        "**",
    ] {
        assert_eq!(
            inline(literal),
            [piece(literal, false, false, None)],
            "{literal:?}"
        );
    }
    assert_eq!(
        plain("**A** [docs](https://x.org) [a@x.org](mailto:a@x.org)"),
        "A docs (https://x.org) a@x.org"
    );
}

#[test]
fn pasted_lists_become_bullets() {
    assert_eq!(
        split_bullets("Built things:\n- one\n* two\n• three"),
        (
            Some("Built things:".to_owned()),
            vec!["one".to_owned(), "two".to_owned(), "three".to_owned()]
        )
    );
    assert_eq!(
        split_bullets("no list - here"),
        (Some("no list - here".to_owned()), vec![])
    );
    assert_eq!(
        split_bullets("- only\n- items"),
        (None, vec!["only".to_owned(), "items".to_owned()])
    );
}

proptest::proptest! {
    /// Any string, HTML-looking or not, is read without panicking, and reading is idempotent
    /// (the canonical form reads as itself), which normalization's idempotence relies on.
    #[test]
    fn reading_never_panics_and_is_idempotent(
        s in "(<b>|</b>|<i>|<a href=\"https://x.org\">|</a>|<br>|<p>|<li>|<ul>|&amp;|&#233;|&|lt;|gt;|<|>|;|[a-zé \\n*_\\[\\]()])*"
    ) {
        let once = from_html(&s);
        proptest::prop_assert_eq!(from_html(&once), once.clone());
        let _ = inline(&once);
        let _ = split_bullets(&once);
    }

    #[test]
    fn arbitrary_text_never_panics(s in "\\PC*") {
        let _ = inline(&from_html(&s));
    }
}
