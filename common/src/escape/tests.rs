//! Escaping tests: literal cases as inline snapshots, then properties over arbitrary strings.

use proptest::prelude::*;

use crate::escape::{latex, unsupported_char, url};

#[test]
fn hostile_strings() {
    insta::assert_snapshot!(latex(r"\input{/etc/passwd}"), @r"\textbackslash{}input\{/etc/passwd\}");
    insta::assert_snapshot!(latex(r"\def\x{\x}\x"), @r"\textbackslash{}def\textbackslash{}x\{\textbackslash{}x\}\textbackslash{}x");
    insta::assert_snapshot!(latex("R&D $5 #1 50% a_b ^^5c x~y"), @r"R\&D \$5 \#1 50\% a\_b \textasciicircum{}\textasciicircum{}5c x\textasciitilde{}y");
    insta::assert_snapshot!(latex("[opt] * star -- 'q'' ,,"), @r"{[}opt{]} {*} star -{}- \textquotesingle{}q\textquotesingle{}\textquotesingle{} ,{},");
    insta::assert_snapshot!(latex("tab\there\u{0}nul\u{7}bell\nline"), @"tab herenulbell line");
    insta::assert_snapshot!(latex("a\u{A0}b\u{AD}c\u{200B}d"), @r"a~b\-c\hspace{0pt}d");
}

#[test]
fn markup_prints_as_bold_italic_and_links() {
    insta::assert_snapshot!(latex("**Led** *small* [team](https://x.org/a_b?c=1&d) snake_case"), @r"\textbf{Led} \textit{small} \href{https://x.org/a_b?c=1\&d}{team} snake\_case");
    insta::assert_snapshot!(latex(r"**\input{x}** [\x](https://x.org)"), @r"\textbf{\textbackslash{}input\{x\}} \href{https://x.org}{\textbackslash{}x}");
    insta::assert_snapshot!(crate::escape::latex_link_text("[a](https://x.org) b"), @"a b");
}

#[test]
fn scripts_are_wrapped_in_their_encoding() {
    insta::assert_snapshot!(latex("Café – “q” €"), @"Café – “q” €");
    insta::assert_snapshot!(latex("Αλέξανδρος Παπαδόπουλος, Мария Иванова"), @r"\grk{Αλέξανδρος Παπαδόπουλος}, \cyr{Мария Иванова}");
    insta::assert_snapshot!(latex("x Ω y"), @r"x \grk{Ω} y");
}

#[test]
fn unsupported_characters_are_found() {
    assert_eq!(unsupported_char("Zoë Łukasz Şükrü"), None);
    assert_eq!(
        unsupported_char("王小明 さくら 김민준 Nguyễn Văn Đức"),
        None
    );
    assert_eq!(unsupported_char("שלום"), Some('ש'));
    assert!(crate::escape::needs_xetex("王小明") && crate::escape::needs_xetex("Nguyễn"));
    assert!(!crate::escape::needs_xetex("Zoë Łukasz Șerban ★"));
    assert_eq!(unsupported_char("Ships fast 🚀"), Some('🚀'));
    assert_eq!(unsupported_char("★★★☆ ✓ ☎ ✉ ●○"), None);
    insta::assert_snapshot!(latex("≥ 99.9% ≈"), @r"\mth{geq}{≥} 99.9\% \mth{approx}{≈}");
    insta::assert_snapshot!(latex("★ ✓ ☆"), @r"\sym{72}{★} \sym{51}{✓} \ax{2606}{\sym{73}{☆}}");
    insta::assert_snapshot!(latex("李静怡（上海）, Nguyễn"), @r"\cjk{李静怡（上海）}, Nguyễn");
    assert_eq!(unsupported_char("Αλέξανδρος Мария"), None);
}

#[test]
fn urls_cannot_break_out_of_href() {
    insta::assert_snapshot!(url(r"https://example.org/a}b{c%d#e\f~g"), @r"https://example.org/a\%7Db\%7Bc\%25d\#e\%5Cf~g");
    insta::assert_snapshot!(url("https://x.org/q?a=1&b=%20$"), @r"https://x.org/q?a=1\&b=\%20\%24");
    insta::assert_snapshot!(url("https://ex.org/ø"), @r"https://ex.org/\%C3\%B8");
}

/// True when every backslash in `s` starts one of the commands the escaper itself emits.
fn only_known_commands(s: &str) -> bool {
    const KNOWN: &[&str] = &[
        "\\textbackslash{}",
        "\\textasciicircum{}",
        "\\textasciitilde{}",
        "\\textless{}",
        "\\textgreater{}",
        "\\textbar{}",
        "\\textquotedbl{}",
        "\\textasciigrave{}",
        "\\textquotesingle{}",
        "\\hspace{0pt}",
        "\\grk{",
        "\\cyr{",
        "\\ax{",
        "\\axo{",
        "\\axell{}",
        "\\textbf{",
        "\\sym{",
        "\\cjk{",
        "\\fb{",
        "\\mth{",
        "\\textit{",
        "\\href{",
        "\\{",
        "\\}",
        "\\$",
        "\\&",
        "\\#",
        "\\%",
        "\\_",
        "\\-",
    ];
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        rest = &rest[i..];
        match KNOWN.iter().find(|k| rest.starts_with(*k)) {
            Some(k) => rest = &rest[k.len()..],
            None => return false,
        }
    }
    true
}

/// Braces outside the escaper's own `\{` `\}` must balance, or a group could be closed early.
fn braces_balance(s: &str) -> bool {
    let mut depth = 0i32;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A URL argument is inert when it is printable ASCII without group or math characters, and
/// `%`, `&`, `#` and `\\` appear only as the escapes hyperref expects.
fn url_is_inert(out: &str) -> bool {
    const FORBIDDEN: &[char] = &['{', '}', '$', '^', '"', ' '];
    const ESCAPABLE: &[char] = &['\\', '%', '&', '#'];
    let unescaped = out.replace("\\%", "").replace("\\&", "").replace("\\#", "");
    out.chars().all(|c| c.is_ascii_graphic())
        && !out.contains(FORBIDDEN)
        && !unescaped.contains(ESCAPABLE)
}

proptest! {
    #[test]
    fn no_user_string_produces_an_active_control_sequence(s in "\\PC*") {
        let out = latex(&s);
        prop_assert!(only_known_commands(&out), "{out}");
        prop_assert!(braces_balance(&out), "{out}");
        for special in ['$', '&', '#', '%', '_'] {
            for (i, _) in out.match_indices(special) {
                let escaped = i > 0 && out.as_bytes()[i - 1] == b'\\';
                prop_assert!(escaped, "unescaped {} in {}", special, out);
            }
        }
        // `^` never survives, so TeX's `^^` notation cannot form; `~` appears only for a
        // non-breaking space the user actually sent.
        prop_assert!(!out.contains('^'));
        prop_assert_eq!(out.matches('~').count(), s.matches('\u{A0}').count());
    }

    #[test]
    fn tex_like_input_is_inert(s in "[\\\\{}$&#%_^~a-z ]{0,40}") {
        let out = latex(&s);
        prop_assert!(only_known_commands(&out));
        prop_assert!(braces_balance(&out));
    }

    /// The same guarantees with markup in the input: bold, italic and links are written by
    /// the escaper, and nothing inside them escapes it.
    #[test]
    fn markup_produces_no_control_sequence_of_its_own(
        s in "(\\*\\*|\\*|__|_|\\[|\\]|\\(|\\)|\\]\\(|https://x\\.org/|mailto:a@x\\.org|javascript:|[a-z \\\\{}$&#%^~])*"
    ) {
        let out = latex(&s);
        prop_assert!(only_known_commands(&out), "{out}");
        prop_assert!(braces_balance(&out), "{out}");
        prop_assert!(!out.contains('^'));
        let unsafe_link = out.contains("\\href{javascript");
        prop_assert!(!unsafe_link, "{out}");
        let inner = crate::escape::latex_link_text(&s);
        prop_assert!(!inner.contains("\\href"), "{inner}");
        prop_assert!(braces_balance(&inner), "{inner}");
    }

    #[test]
    fn urls_stay_inside_href(s in "\\PC*") {
        let out = url(&s);
        prop_assert!(url_is_inert(&out), "{}", out);
    }
}

/// `reader::clean` skips NFC and the script check for printable ASCII, newlines and tabs; that
/// is only sound while every one of them can be typeset.
#[test]
fn every_printable_ascii_character_is_supported() {
    for b in (b' '..=b'~').chain([b'\n', b'\t']) {
        let s = char::from(b).to_string();
        assert_eq!(unsupported_char(&s), None, "{s:?}");
    }
}
