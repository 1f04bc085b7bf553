//! Date parsing and display, as a table.

use crate::dates::{CivilDate, ResumeDate, display_range};

#[track_caller]
fn check(input: &str, expect: Option<(&str, &str)>) {
    let got = ResumeDate::parse(input).map(|d| (d.canonical(), d.to_string()));
    let expect = expect.map(|(c, d)| (c.to_owned(), d.to_owned()));
    assert_eq!(got, expect, "input {input:?}");
}

#[test]
fn accepted_and_rejected_formats() {
    check("2021-03", Some(("2021-03", "Mar 2021")));
    check("2021-3", Some(("2021-03", "Mar 2021")));
    check("03-2021", Some(("2021-03", "Mar 2021")));
    check("2021/03", Some(("2021-03", "Mar 2021")));
    check("2014-01-06", Some(("2014-01-06", "Jan 2014")));
    check("07-31-2017", Some(("2017-07-31", "Jul 2017")));
    check("2020", Some(("2020", "2020")));
    check("Jan 2020", Some(("2020-01", "Jan 2020")));
    check("September 2019", Some(("2019-09", "Sep 2019")));
    check("sept 2019", Some(("2019-09", "Sep 2019")));
    check("March 14, 2025", Some(("2025-03-14", "Mar 2025")));
    check("14 March 2025", Some(("2025-03-14", "Mar 2025")));
    check("present", Some(("Present", "Present")));
    check("CURRENT", Some(("Present", "Present")));
    check(" Present ", Some(("Present", "Present")));
    check("2020-13", None);
    check("2021-02-29", None);
    check("2020-02-29", Some(("2020-02-29", "Feb 2020")));
    check("Foo 2020", None);
    check("20", None);
    check("2020-01-01-01", None);
    check("", None);
    check("yesterday", None);
}

#[test]
fn ranges() {
    assert_eq!(
        display_range(Some("2021-03"), Some("Present")),
        "Mar 2021 – Present"
    );
    assert_eq!(display_range(Some("2021-03"), None), "Mar 2021 – Present");
    assert_eq!(display_range(None, Some("2013-06")), "Jun 2013");
    assert_eq!(display_range(Some("2019"), Some("2019")), "2019");
    assert_eq!(
        display_range(Some("Summer 2019"), Some("2020")),
        "Summer 2019 – 2020"
    );
}

#[test]
fn civil_dates() {
    assert_eq!(
        CivilDate::from_unix_seconds(0),
        CivilDate {
            year: 1970,
            month: 1,
            day: 1
        }
    );
    assert_eq!(
        CivilDate::from_unix_seconds(1_741_910_400),
        CivilDate {
            year: 2025,
            month: 3,
            day: 14
        }
    );
    assert_eq!(
        CivilDate::from_unix_seconds(951_782_400).long(),
        "February 29, 2000"
    );
}
