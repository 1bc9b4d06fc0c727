//! Generated statement files: distinct, realistic, deterministic. Each has country
//! mentions and an accusation, so a database built from them has rows in every table.

/// A small deterministic random number generator (xorshift64*), so that a fault run
/// can be repeated from its printed seed without a dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next_u64() % bound.max(1)
    }
}

const COUNTRIES: &[&str] = &[
    "Armenia",
    "Azerbaijan",
    "Russia",
    "Ukraine",
    "China",
    "Japan",
    "France",
    "Germany",
    "Iran",
    "Israel",
    "Turkey",
    "India",
    "Pakistan",
    "Brazil",
    "Canada",
    "Mexico",
    "Egypt",
    "Nigeria",
    "Kenya",
    "Australia",
];

const OFFICES: &[&str] =
    &["Ministry of Foreign Affairs", "Foreign Ministry spokesperson", "Presidential press office"];

const CHARGES: &[&str] = &[
    "accused {B} of violating the ceasefire",
    "condemned {B} for the shelling of civilian areas",
    "accused {B} of spreading disinformation",
    "blamed {B} for the attack on the border post",
];

const MONTHS: &[&str] = &[
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The file name and bytes of statement number `index`. Different indices give
/// different contents; the format cycles through text, Markdown, HTML and JSON.
pub fn statement(index: usize) -> (String, Vec<u8>) {
    let mut rng = Rng::new(index as u64 * 7919 + 17);
    let pick = |rng: &mut Rng, list: &[&'static str]| list[rng.below(list.len() as u64) as usize];
    let accuser = pick(&mut rng, COUNTRIES);
    let mut accused = pick(&mut rng, COUNTRIES);
    if accused == accuser {
        accused =
            COUNTRIES[(COUNTRIES.iter().position(|c| *c == accuser).unwrap_or(0) + 1) % COUNTRIES.len()];
    }
    let third = pick(&mut rng, COUNTRIES);
    let office = pick(&mut rng, OFFICES);
    let charge = pick(&mut rng, CHARGES).replace("{B}", accused);
    let year = 2019 + rng.below(6);
    let month = rng.below(12) as usize;
    let day = 1 + rng.below(28);
    let body = format!(
        "The {office} of {accuser} {charge} on {day} {} {year}. \
         {accuser} said talks with {third} would continue next week. \
         The statement, reference {index}, was published in the capital.",
        MONTHS[month]
    );
    let title = format!("Statement {index} of {accuser} on {accused}");
    let date = format!("{year}-{:02}-{day:02}", month + 1);
    match index % 4 {
        0 => (format!("{date}_statement-{index}.txt"), body.into_bytes()),
        1 => (
            format!("statement-{index}.md"),
            format!("---\ntitle: {title}\ndate: {date}\n---\n\n{body}\n").into_bytes(),
        ),
        2 => (
            format!("statement-{index}.html"),
            format!(
                "<!doctype html><html><head><title>{title}</title>\
                 <meta property=\"article:published_time\" content=\"{date}\"></head>\
                 <body><h1>{title}</h1><p>{body}</p></body></html>"
            )
            .into_bytes(),
        ),
        _ => (
            format!("statement-{index}.json"),
            format!("{{\"title\": \"{title}\", \"date\": \"{date}\", \"text\": \"{body}\"}}").into_bytes(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_distinct_deterministic_and_readable() {
        let names: std::collections::BTreeSet<_> = (0..400).map(|index| statement(index).1).collect();
        assert_eq!(names.len(), 400);
        assert_eq!(statement(7), statement(7));
        for index in 0..8 {
            let (name, bytes) = statement(index);
            let input = demarche_doc::FileInput { file_name: &name, bytes: &bytes, modified: None };
            let read = demarche_doc::read(&input).unwrap_or_else(|error| panic!("{name}: {error}"));
            let analysis = demarche_extract::analyze(&read[0].text, demarche_extract::Context::default());
            assert!(analysis.mentions.len() >= 3, "{name}: {:?}", analysis.mentions);
        }
    }
}
