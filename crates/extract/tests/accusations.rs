//! The accusation detector on the sample statement shipped in `data/samples`: President
//! Aliyev's speech in Astana. Azerbaijan accuses Armenia of terrorism, vandalism and
//! provocations, and France of a broken promise; the calls on the United States and
//! France to "be responsible" are appeals, not accusations.

use demarche_extract::{analyze, Context};

const SAMPLE: &str = include_str!("../../../data/samples/2022-10-14_aliyev-cis-astana.txt");

#[test]
fn the_astana_speech_accuses_armenia_and_france_and_appeals_to_the_rest() {
    let analysis = analyze(SAMPLE, Context { speaker_country: Some("AZ") });
    let found: Vec<(&str, &str, &str)> = analysis
        .accusations
        .iter()
        .map(|a| (a.accuser.as_str(), a.accused.as_str(), a.sentence.as_str()))
        .collect();

    let accuses = |accused: &str, start: &str| {
        found.iter().any(|(accuser, who, sentence)| {
            *accuser == "AZ" && *who == accused && sentence.starts_with(start)
        })
    };
    assert!(accuses("FR", "However, it turned out to be not true"), "{found:#?}");
    assert!(accuses("AM", "I must say that Armenia also committed provocations"), "{found:#?}");
    assert!(accuses("AM", "We have no doubt that acts of terrorism and vandalism were organized by Armenia"));
    assert!(accuses(
        "AM",
        "Because in the 1990s, 32 acts of terrorism were committed by the Armenian special"
    ));
    assert!(accuses("AM", "As a result of these terrorist acts"));

    // Nobody is accused of what is only asked of them.
    assert!(found.iter().all(|(_, accused, _)| *accused != "US"), "{found:#?}");
    assert!(found.iter().all(|(_, _, sentence)| !sentence.contains("to be responsible")), "{found:#?}");
    assert!(found.iter().all(|(_, accused, _)| ["AM", "FR"].contains(accused)), "{found:#?}");

    let categories = |start: &str| {
        analysis
            .accusations
            .iter()
            .find(|a| a.sentence.starts_with(start))
            .map(|a| a.categories.clone())
            .unwrap_or_default()
    };
    assert!(categories("We have no doubt").contains(&"terrorism".to_string()));
    assert!(categories("We have no doubt").contains(&"vandalism".to_string()));
    assert!(categories("I must say").contains(&"provocation".to_string()));
    assert_eq!(categories("However, it turned out"), ["deception"]);

    // Every record's offsets are its sentence.
    let chars: Vec<char> = SAMPLE.chars().collect();
    for accusation in &analysis.accusations {
        let span: String = chars[accusation.start..accusation.end].iter().collect();
        assert_eq!(span, accusation.sentence);
    }
}
