//! Renders a `/generate` body (JSON file) to LaTeX on stdout; a development aid.

fn main() {
    let path = std::env::args().nth(1).expect("usage: render BODY.json");
    let body: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable file")).expect("json");
    let today = resume_common::dates::CivilDate {
        year: 2025,
        month: 3,
        day: 14,
    };
    match resume_common::api::prepare(&body, resume_common::api::Source::Json, today) {
        Ok(p) => {
            #[allow(clippy::print_stdout)]
            {
                print!("{}", p.tex);
            }
        }
        Err(e) => panic!("{e:?}"),
    }
}
