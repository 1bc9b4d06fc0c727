//! Data-driven tests of the detector: a sentence (or a short text) and the records it
//! must yield, as "accuser>accused cue [categories]" strings. The sentences are written
//! for these tests, one rule each, negative rules included.

use crate::{analyze, Context};

fn check_as(speaker: Option<&str>, text: &str, expected: &[&str]) {
    let analysis = analyze(text, Context { speaker_country: speaker });
    let found: Vec<String> = analysis
        .accusations
        .iter()
        .map(|a| format!("{}>{} {} [{}]", a.accuser, a.accused, a.cue, a.categories.join(",")))
        .collect();
    assert_eq!(found, expected, "in {text:?}");
}

fn check(text: &str, expected: &[&str]) {
    check_as(None, text, expected);
}

#[test]
fn agent_of_an_active_cue_is_its_subject() {
    check("Armenia shelled the village.", &["XX>AM shelled [aggression]"]);
    check("Yesterday the Russian army attacked the port of Odesa.", &["XX>RU attacked [aggression]"]);
    check("Georgia says Russia violated the ceasefire.", &["GE>RU violated [violation]"]);
}

#[test]
fn agent_of_a_passive_cue_follows_by() {
    check("The explosions were organised by the Armenian special services.", &["XX>AM organised [other]"]);
    check(
        "The border post was shelled by Azerbaijan and Turkey.",
        &["XX>AZ shelled [aggression]", "XX>TR shelled [aggression]"],
    );
    // A passive without an agent names only the victim.
    check("Armenia was attacked on Monday.", &[]);
}

#[test]
fn possessors_and_adjectives_own_the_act() {
    check("Baku's provocations continue.", &["XX>AZ provocations [provocation]"]);
    check("The report describes Russian aggression.", &["XX>RU aggression [aggression]"]);
    check("It was an act of aggression against Armenia.", &[]);
}

#[test]
fn objects_of_accuse_blame_condemn_are_accused_by_the_subject() {
    check("Iran accused Israel of sabotage.", &["IR>IL accused [other]"]);
    check("Pakistani officials blamed India for the bombing.", &["PK>IN blamed [aggression]"]);
    check("Iran was accused by France of smuggling.", &["FR>IR accused [crime]"]);
    check(
        "The United States condemned Thailand and Cambodia for the deportations.",
        &["US>TH condemned [human_rights]", "US>KH condemned [human_rights]"],
    );
}

#[test]
fn the_speaker_accuses_in_the_first_person() {
    check_as(Some("AZ"), "We know that Armenia committed these crimes.", &["AZ>AM committed [other]"]);
    check_as(Some("AZ"), "Armenia violated the ceasefire again.", &["AZ>AM violated [violation]"]);
}

#[test]
fn quotations_are_the_quoted_party_s_words() {
    check_as(
        Some("AZ"),
        "\"Armenia violated the ceasefire. It shelled our villages,\" the head of state said.",
        &["AZ>AM violated [violation]", "AZ>AM shelled [aggression]"],
    );
    check_as(
        Some("US"),
        "Turkish President Recep Erdogan spoke on Monday. \"Israel attacks civilians,\" Erdogan said.",
        &["TR>IL attacks [aggression,human_rights]"],
    );
}

#[test]
fn people_keep_their_country_by_surname() {
    check(
        "Russian Foreign Minister Sergey Lavrov arrived. Lavrov accused Ukraine of shelling the plant.",
        &["RU>UA accused [aggression]"],
    );
    check(
        "Steven Smith, a former U.S. ambassador, spoke. \"Russia breached the deal,\" Smith said.",
        &["US>RU breached [violation]"],
    );
}

#[test]
fn anaphors_point_back_to_the_accused() {
    check_as(
        Some("AZ"),
        "Armenia committed provocations. Such provocations must end. These terrorist acts killed many.",
        &[
            "AZ>AM committed [provocation]",
            "AZ>AM provocations [provocation]",
            "AZ>AM terrorist acts [terrorism,human_rights]",
        ],
    );
    check_as(
        Some("AZ"),
        "The President of France promised help. However, it turned out to be not true.",
        &["AZ>FR turned out to be not true [deception]"],
    );
    // The organ named once with its country stands for it later.
    check(
        "The Myanmar military seized power. The military killed protesters.",
        &["XX>MM killed [human_rights]"],
    );
}

#[test]
fn non_state_parties_are_xx_and_anonymous_ones_are_nobody() {
    check("Taliban militants attacked a school.", &["XX>XX attacked [terrorism,aggression]"]);
    check("A crowd attacked the embassy of Azerbaijan.", &[]);
    check("The embassy was vandalised.", &[]);
}

#[test]
fn appeals_are_not_accusations() {
    check_as(Some("AZ"), "We call on France to prevent terrorism.", &[]);
    check_as(Some("AZ"), "We urge Armenia to respect the ceasefire.", &[]);
    check_as(Some("AZ"), "I must say that Armenia attacked us.", &["AZ>AM attacked [aggression]"]);
}

#[test]
fn denials_by_the_accused_are_not_accusations_unless_the_claimant_is_named() {
    check("Russia denied shelling the town.", &[]);
    check("Russia rejected Ukraine's accusations.", &["UA>RU accusations [other]"]);
    check("India rejected the allegations made by Pakistan.", &["PK>IN allegations [other]"]);
}

#[test]
fn questions_conditionals_hypotheticals_and_negations_are_not_accusations() {
    check("Did Armenia violate the ceasefire?", &[]);
    check("If Armenia attacks, Azerbaijan will respond.", &[]);
    check("Armenia could attack at any moment.", &[]);
    check("Armenia did not violate the ceasefire.", &[]);
    check("Armenia has never attacked anyone.", &[]);
    check_as(
        Some("AZ"),
        "We have no doubt that Armenia violated the treaty.",
        &["AZ>AM violated [violation]"],
    );
}

#[test]
fn one_record_per_sentence_and_accused_with_all_categories() {
    check(
        "Armenia committed provocations against the embassies.",
        &["XX>AM committed [provocation,vandalism]"],
    );
}

#[test]
fn offsets_and_sentence_are_the_evidence() {
    let text = "Élan. Armenia shelled Tavush.";
    let analysis = analyze(text, Context::default());
    let chars: Vec<char> = text.chars().collect();
    let accusation = &analysis.accusations[0];
    let span: String = chars[accusation.start..accusation.end].iter().collect();
    assert_eq!(span, accusation.sentence);
    assert_eq!(accusation.sentence, "Armenia shelled Tavush.");
}

#[test]
fn hostile_input_yields_no_panic() {
    for text in
        ["", "\"", "\u{201C}\n\u{201D}", "by", "accused", "'s", "of the of", "Armenia\u{2019}", "\"\"\"\n\"x"]
    {
        let _ = analyze(text, Context { speaker_country: Some("AZ") });
    }
}

#[test]
fn sanctions_accuse_their_target_on_behalf_of_who_imposes_them() {
    check("Canada imposed sanctions on Venezuela over the vote.", &["CA>VE imposed sanctions on [other]"]);
    check("Japan is considering lifting sanctions on Chile.", &[]);
}

#[test]
fn failures_to_act_against_threats_are_violations() {
    check_as(
        Some("IN"),
        "Nepal has failed to rein in the gangs on its territory.",
        &["IN>NP failed to rein in [violation]"],
    );
    check(
        "Peru stopped implementing its commitments under the accord.",
        &["XX>PE stopped implementing [violation]"],
    );
}

#[test]
fn a_country_named_as_the_base_of_attackers_is_accused_of_harbouring_them() {
    check(
        "The bombing was carried out by militants based in Sudan.",
        &["XX>XX carried out [terrorism,aggression]", "XX>SD haven [terrorism,aggression]"],
    );
    check("Chad said the raid was launched from Libyan soil.", &["TD>LY haven [aggression]"]);
    // Without an attack the base is only a place.
    check("The company based in Sudan was fined.", &[]);
}

#[test]
fn organs_of_one_class_share_the_country_named_with_one_of_them() {
    check(
        "The Bolivian military took control. Troops killed two farmers. The army attacked a village.",
        &["XX>BO killed [human_rights]", "XX>BO attacked [aggression]"],
    );
    // Another party's troops are not the bound organ.
    check("The Bolivian military took control. Rebel troops attacked a village.", &[]);
}

#[test]
fn verbs_of_perpetration_make_their_subject_the_doer_of_the_act() {
    check("The Malian army and the police increased the violence.", &["XX>ML violence [human_rights]"]);
    check("Syria waged a campaign of repression.", &["XX>SY repression [human_rights]"]);
    // A party that condemns the act is not its doer.
    check("Norway condemned the violence.", &[]);
}

#[test]
fn gerunds_after_for_belong_to_the_party_held_to_account() {
    check(
        "Ghana cut ties with Togo for allegedly meddling in its elections.",
        &["XX>TG meddling [interference]"],
    );
    check("Committees are responsible for scrutinizing the budget of Kenya.", &[]);
    // "by" after an active form names no agent.
    check("The court banned him for defying rulings by Kenya.", &[]);
}

#[test]
fn scare_quotes_do_not_hide_the_subject() {
    check("Iran is \u{201C}flagrantly\u{201D} defying the council.", &["XX>IR defying [violation]"]);
}

#[test]
fn anaphoric_non_state_doers_are_xx() {
    check_as(
        Some("PK"),
        "Pakistan named the group. \"These terrorists attacked a train,\" the minister said.",
        &["PK>XX terrorists [terrorism,aggression]"],
    );
}

#[test]
fn a_demand_ends_with_its_clause() {
    check_as(
        Some("AZ"),
        "We urge everyone to stay calm, because Armenia shelled Tovuz.",
        &["AZ>AM shelled [aggression]"],
    );
}

#[test]
fn a_country_adjective_after_a_preposition_still_owns_the_act() {
    check("The plan strengthens deterrence against Russian aggression.", &["XX>RU aggression [aggression]"]);
}

#[test]
fn people_named_after_a_title_and_a_comma_keep_its_country() {
    check(
        "Chile's envoy to the United Nations, Ana Soto, spoke. Soto said Peru violated the treaty.",
        &["CL>PE violated [violation]"],
    );
    // A country after "said" is what was said about, not who said it.
    check(
        "Chile's envoy, Ana Soto, said Lima was failing to rein in the gangs.",
        &["CL>PE failing to rein in [violation]"],
    );
    // A day before the verb is no reporter's name.
    check(
        "Chile's envoy, Ana Soto, Monday tweeted, \u{201C}Peru violated the treaty.\u{201D}",
        &["CL>PE violated [violation]"],
    );
    // A title's country is not taken over a closing quotation.
    check(
        "\u{201C}Peru violated the treaty,\u{201D} Senator Ana Soto said.",
        &["XX>PE violated [violation]"],
    );
}

#[test]
fn a_ministry_s_spokesperson_speaks_for_the_ministry_named_before() {
    check(
        "Chile's Ministry of Foreign Affairs issued a note. \"Peru violated the treaty,\" foreign ministry spokesperson Ana Soto said.",
        &["CL>PE violated [violation]"],
    );
}

#[test]
fn a_rejected_claim_takes_its_categories_from_what_it_claims() {
    check("Chile rejected Peru's claim that it sponsored terrorism.", &["PE>CL claim [terrorism]"]);
}

#[test]
fn a_demand_to_stop_a_party_s_acts_still_says_they_happen() {
    check("It is time to stop Peru's cruel and reckless attacks.", &["XX>PE attacks [aggression]"]);
}

#[test]
fn condemning_an_act_accuses_its_doer() {
    check(
        "Peruvian troops attacked Arica. Chile condemned the recent violence.",
        &["XX>PE attacked [aggression]", "CL>PE condemned [human_rights]"],
    );
    check(
        "Peruvian troops attacked Arica. Chile's envoy Ana Soto, while condemning the violence, said talks go on.",
        &["XX>PE attacked [aggression]", "CL>PE condemning [human_rights]"],
    );
}

#[test]
fn the_country_points_back_and_is_predicates_the_act() {
    check(
        "Peru shelled Arica. The country is also among the worst perpetrators of repression.",
        &["XX>PE shelled [aggression]", "XX>PE perpetrators [human_rights]"],
    );
}

#[test]
fn a_demonstrative_presupposes_the_act_even_under_a_demand() {
    check_as(
        Some("CL"),
        "Peru shelled Arica. This brazen aggression must be rejected.",
        &["CL>PE shelled [aggression]", "CL>PE aggression [aggression]"],
    );
    // "those who" points at people, not at an act.
    check_as(
        Some("CL"),
        "Peru shelled Arica. We must punish those who abuse the trust.",
        &["CL>PE shelled [aggression]"],
    );
}

#[test]
fn proliferation_is_a_violation() {
    check("Peru's proliferation efforts worry its neighbours.", &["XX>PE proliferation efforts [violation]"]);
}

#[test]
fn a_place_s_office_holder_belongs_to_its_country() {
    check(
        "Texas Governor Ana Soto spoke. Soto said Mexico violated the treaty.",
        &["US>MX violated [violation]"],
    );
}

#[test]
fn a_claim_called_baseless_is_the_claimant_s_accusation_of_the_subject() {
    check("Chile's ministry called Peru's allegations baseless.", &["PE>CL allegations [other]"]);
    check("Chile called the allegations baseless.", &[]);
}

#[test]
fn a_speaker_phrase_with_a_body_and_a_name_is_a_title() {
    check(
        "The spokesperson for Chile's Ministry of Foreign Affairs, Ambassador Ana Soto, spoke. \"Peru violated the treaty,\" Soto told reporters.",
        &["CL>PE violated [violation]"],
    );
}

#[test]
fn shooting_is_an_attack() {
    check("Peruvian soldiers shot two farmers.", &["XX>PE shot [aggression]"]);
}

#[test]
fn in_narration_the_agent_of_a_passive_accusation_is_the_accuser() {
    check(
        "The ships are sanctioned by Canada as vessels of Iranian proliferators.",
        &["CA>IR proliferators [violation]"],
    );
    // A speaker's own words stay the speaker's.
    check_as(
        Some("CL"),
        "We know the ships, sanctioned by Canada, serve Iranian proliferators.",
        &["CL>IR proliferators [violation]"],
    );
}

#[test]
fn institutions_stand_for_their_country() {
    check(
        "A State Department spokesperson said China violated the agreement.",
        &["US>CN violated [violation]"],
    );
    check("The IRGC attacked the tanker.", &["XX>IR attacked [aggression]"]);
    check(
        "Russia violated the ceasefire, Republican Representative Jane Doe told reporters.",
        &["US>RU violated [violation]"],
    );
}

#[test]
fn the_holder_of_a_title_named_before_is_its_country() {
    let text = "A State Department spokesperson spoke on Monday. \
                \"China attacked the vessel,\" the spokesperson added.";
    check(text, &["US>CN attacked [aggression]"]);
    // With a known speaker, "the spokesperson" is the speaker's own.
    check_as(Some("AZ"), text, &["AZ>CN attacked [aggression]"]);
}

#[test]
fn a_reporter_is_no_doer_for_a_later_pronoun() {
    let text = "Federal prosecutor John Gutwillig spoke. The trial began in May. The jury listened. \
                Ms. Smith will testify later, Gutwillig said. That is why they want to kill her.";
    check(text, &[]);
}

#[test]
fn reporting_words_inside_a_quotation_attribute_nothing() {
    let text = "Pakistan's army commander Asim Munir spoke on Monday. \
                \"Intelligence reports confirm that Iran attacked the post,\" Munir said.";
    check(text, &["PK>IR attacked [aggression]"]);
}

#[test]
fn a_second_participle_shares_the_agent_after_by() {
    check("The unrest was organised and financed by the Syrian army.", &["XX>SY organised [other]"]);
}

#[test]
fn the_organs_of_a_region_are_its_country_s() {
    check(
        "The government placed blame on the leaders of Puntland for the failure.",
        &["XX>SO placed blame on [other]"],
    );
    // A region alone is a place, never a party.
    check("The talks in Puntland were blamed on nobody.", &[]);
}

#[test]
fn evaluative_acts_pointed_at_survive_a_demand() {
    let text = "Iran blocked the inspectors, the agency said. \"The Council must condemn this brazen behavior,\" the statement said.";
    check(text, &["XX>IR brazen behavior [other]"]);
}

#[test]
fn office_holders_of_regions_belong_to_the_region_s_country() {
    let text =
        "Doug Ford, Ontario's provincial leader, spoke on Monday. Ford accused Washington of interference.";
    check(text, &["CA>US accused [interference]"]);
    let text = "The court summoned Milorad Dodik, the leader of the Republika Srpska entity. \
                The United States imposed sanctions on Dodik.";
    check(text, &["US>BA imposed sanctions on [other]"]);
}

#[test]
fn categories_of_a_hypothetical_act_under_an_accusation() {
    check(
        "France accused Iranian operatives of planning to kidnap a journalist.",
        &["FR>IR accused [crime]"],
    );
    // A sentence with a category of its own keeps it.
    check(
        "France accused Iranian operatives of planning to kidnap a journalist in violation of the treaty.",
        &["FR>IR accused [violation]"],
    );
}

#[test]
fn armed_groups_and_constitutions_name_categories() {
    check("Afghan officials accused the Taliban of the attack.", &["AF>XX accused [terrorism,aggression]"]);
    check("Serbia accused Croatia of undermining the constitution.", &["RS>HR accused [violation]"]);
}

#[test]
fn acts_given_as_grounds_are_the_first_party_s_allegation() {
    check(
        "Bosnian state prosecutors ordered the arrest of the mayor for allegedly trying to undermine the constitution.",
        &["BA>BA undermine [violation]"],
    );
    // Not given as grounds: the narrator's own report.
    check(
        "Bosnian state prosecutors allegedly tried to undermine the constitution.",
        &["XX>BA undermine [violation]"],
    );
}

#[test]
fn a_name_joined_to_a_known_person_reports_for_the_same_side() {
    check(
        "Sindh Chief Minister Ali Khan spoke on Monday. Khan and Rahimi said Afghanistan attacked the post.",
        &["PK>AF attacked [aggression]"],
    );
    // Alone, the unknown name is a reporter of no known country.
    check("Rahimi said Afghanistan attacked the post.", &["XX>AF attacked [aggression]"]);
}

#[test]
fn a_participle_after_a_comma_reports_for_the_clause_s_subject() {
    check(
        "The Iranian mission spoke to reporters, saying that Israel attacked the port.",
        &["IR>IL attacked [aggression]"],
    );
    // "according to" names its source after it, not the clause's subject.
    check("Iran was behind the plot, according to prosecutors.", &["XX>IR was behind [other]"]);
}

#[test]
fn an_organ_after_a_possessive_pronoun_is_the_named_party_s() {
    check(
        "Iran's envoy stayed away, but his mission said Israel attacked the port.",
        &["IR>IL attacked [aggression]"],
    );
}

#[test]
fn an_organ_named_after_a_known_person_is_that_person_s_country() {
    check(
        "U.S. President John Smith spoke on Friday. China blamed the Smith administration for violating the deal.",
        &["CN>US blamed [violation]"],
    );
}

#[test]
fn an_organ_word_takes_the_country_of_the_last_holder_of_that_title() {
    check(
        "Federal prosecutor Jane Roe opened the case. Prosecutors said Iran organized the plot.",
        &["US>IR organized [other]"],
    );
}

#[test]
fn the_speaker_s_own_government_is_the_unqualified_government() {
    check_as(
        Some("SO"),
        "\"It was a plot,\" Ali said. The government blamed Kenya for the attack.",
        &["SO>KE blamed [aggression]"],
    );
    // Organs that are as often another country's stay unknown.
    check_as(
        Some("SO"),
        "\"It was a plot,\" Ali said. The regime blamed Kenya for the attack.",
        &["XX>KE blamed [aggression]"],
    );
}

#[test]
fn a_list_of_accusers_headed_by_a_country_speaks_for_it() {
    check(
        "The United States, the United Nations and rights groups condemned Thailand for the deportations.",
        &["US>TH condemned [human_rights]"],
    );
}

#[test]
fn they_who_report_are_the_party_named_last() {
    check(
        "\"The talks failed,\" he said. Three members of the U.S. Senate met the envoy. \"Peru violated the treaty,\" they wrote.",
        &["US>PE violated [violation]"],
    );
}

#[test]
fn the_party_an_act_comes_from_is_its_doer() {
    check("Provocations from the Armenian side continue.", &["XX>AM Provocations [provocation]"]);
    check("The abusive tariffs from Canada hurt farmers.", &["XX>CA abusive [other]"]);
    // A place named after "from" is no source of an act that is not there.
    check("The delegation from Canada discussed tariffs.", &[]);
}

#[test]
fn a_violent_act_with_no_doer_is_the_acting_armed_organ_s() {
    check(
        "The Myanmar military took power. At night the army trucks roll in and the raids begin.",
        &["XX>MM raids [aggression]"],
    );
    // Only armed organs, and only for violent acts.
    check("The Albanian government spoke about corruption in the courts.", &[]);
    // Two countries' forces: no single doer.
    check(
        "Russian troops and Ukrainian forces faced each other along the river for weeks before the raids began.",
        &[],
    );
}

#[test]
fn unacceptable_evaluates_the_act_named_before() {
    check_as(
        Some("TR"),
        "Israel shelled the mosque. This is unacceptable.",
        &["TR>IL shelled [aggression,vandalism]", "TR>IL unacceptable [other]"],
    );
}

#[test]
fn its_before_an_act_is_the_clause_s_party() {
    check(
        "Tehran continues to accelerate its production of highly enriched uranium.",
        &["XX>IR highly enriched uranium [violation]"],
    );
    check(
        "Peru has produced 40 kilos of uranium enriched to 60%.",
        &["XX>PE uranium enriched to [violation]"],
    );
    // With no party in its clause, "its" points back.
    check(
        "Peru violated the accord. Worse, its provocations go on.",
        &["XX>PE violated [violation]", "XX>PE provocations [provocation]"],
    );
}

#[test]
fn an_organ_speaks_through_a_place_named_after_it() {
    check(
        "\"Iran violated the accord,\" the U.S. Mission to the United Nations said.",
        &["US>IR violated [violation]"],
    );
}

#[test]
fn a_title_keeps_its_country_over_an_organisation_s_dotted_name() {
    check(
        "British Deputy U.N. Ambassador Jane Doe spoke. \"Iran violated the accord,\" Doe said.",
        &["GB>IR violated [violation]"],
    );
}

#[test]
fn a_state_s_own_wrongs_accuse_the_country_they_are_in() {
    check("The report said corruption in Albania is pervasive.", &["XX>AL corruption [crime]"]);
    check("Rights groups documented repression in Iran.", &["XX>IR repression [human_rights]"]);
    // Violence has no such owner: in a country, it may be anyone's.
    check("The report said violence in Albania is rising.", &[]);
}

#[test]
fn a_denial_of_the_accusations_answers_the_last_accuser_when_the_sentence_points_to_them() {
    check(
        "\"Chile attacked our convoy,\" Gomez said. Chile's envoy rejected the accusations in reply to the statement by the rebels.",
        &["XX>CL attacked [aggression]", "XX>CL accusations [aggression]"],
    );
    // The accusations answered must be the denier's.
    check(
        "\"Peru attacked our convoy,\" Gomez said. Chile's envoy rejected the accusations in reply to the statement by the rebels.",
        &["XX>PE attacked [aggression]"],
    );
    // A bare denial names no claimant.
    check(
        "\"Chile attacked our convoy,\" Gomez said. Chile denies the allegations.",
        &["XX>CL attacked [aggression]"],
    );
}

#[test]
fn condemning_a_definite_deed_with_no_doer_points_back() {
    check(
        "Peru postponed the withdrawal of its troops. The rebels denounced the delay.",
        &["XX>PE denounced [other]"],
    );
    // An indefinite deed points nowhere.
    check("Peru postponed the withdrawal of its troops. The rebels denounced delays.", &[]);
}

#[test]
fn a_passive_verb_s_agent_may_follow_adverbials_and_asides() {
    check("The town was shelled on Monday by Russian forces.", &["XX>RU shelled [aggression]"]);
    check(
        "They were abused again \u{2014} I would say by Norway, by Chile.",
        &["XX>NO abused [human_rights]", "XX>CL abused [human_rights]"],
    );
    // Another clause, another "by": not this verb's agent.
    check("The town was shelled and the talks were hosted by Qatar.", &[]);
    // "by" before a gerund is a means.
    check("The treaty was violated on purpose by sending troops.", &[]);
}

#[test]
fn a_noun_coordinated_before_by_shares_its_agent() {
    check(
        "Farmers face discrimination and harassment by the Peruvian police.",
        &["XX>PE discrimination [human_rights]"],
    );
}

#[test]
fn a_governing_organ_in_a_capital_is_its_country_s() {
    check("The regime in Damascus committed abuses.", &["XX>SY committed [human_rights]"]);
    // Troops in a capital are only there.
    check("Troops in Kabul committed abuses.", &[]);
}

#[test]
fn first_person_words_inside_a_quotation_are_the_quoted_person_s() {
    // The statement's speaker is Chile, but the quoted farmer says "I would say".
    check_as(
        Some("CL"),
        "\u{201C}We are ignored,\u{201D} Ramos told reporters. \u{201C}We are abused \u{2014} I would say by Peru.\u{201D}",
        &["XX>PE abused [human_rights]"],
    );
    check_as(Some("CL"), "I would say that Peru violated the treaty.", &["CL>PE violated [violation]"]);
}

#[test]
fn an_act_given_as_grounds_is_the_object_s_and_the_subject_alleges_it() {
    check(
        "Chile barred two Peruvian officials from entering Chile on the grounds of corruption.",
        &["CL>PE corruption [crime]"],
    );
    // A country's citizens are not its state.
    check("Iran arrested a French citizen for espionage.", &[]);
}

#[test]
fn well_known_leaders_name_their_country_by_surname() {
    check("Zelenskyy accused Moscow of war crimes.", &["UA>RU accused [human_rights]"]);
    check("Peru blamed the Trump administration for the attack.", &["PE>US blamed [aggression]"]);
    // The document's own tie comes first.
    check(
        "Chilean Ambassador Maria Modi said Peru violated the treaty. Modi added that Peru lied.",
        &["CL>PE violated [violation]", "CL>PE lied [deception]"],
    );
}

#[test]
fn a_non_state_group_s_denial_leaves_the_claim_s_haven_accused_by_the_claimant() {
    check(
        "The rebels rejected Peru's allegation that the bombing was planned from Bolivian soil.",
        &["PE>BO allegation [aggression]"],
    );
    // With no act of attack or terror in the claim there is no harbouring.
    check("The rebels rejected Peru's allegation that the money came from Bolivian soil.", &[]);
}

#[test]
fn an_office_held_ties_the_name_before_it_to_the_country() {
    check(
        "Peru says Ortiz committed war crimes during his term as president of Bolivia. Ortiz also lied.",
        &["PE>BO committed [human_rights]", "XX>BO lied [deception]"],
    );
    // A sentence's first word is capitalised whatever it is: no name.
    check("Officials served as ministers of Bolivia. Officials lied.", &[]);
}

#[test]
fn claiming_responsibility_for_an_act_makes_the_claimant_its_doer() {
    check("The Taliban claimed responsibility for the attack.", &["XX>XX attack [terrorism,aggression]"]);
    check("Nobody has claimed responsibility for the attack.", &[]);
}

#[test]
fn a_demand_to_stop_an_act_says_the_act_goes_on() {
    check("The rebels must stop killing civilians.", &["XX>XX killing [human_rights]"]);
    check_as(Some("AZ"), "We urge Armenia to stop shelling.", &["AZ>AM shelling [aggression]"]);
    check_as(Some("AM"), "We call on Azerbaijan to end its occupation.", &["AM>AZ occupation [aggression]"]);
    // A demand to do something else still accuses no one.
    check_as(Some("AM"), "We call on Azerbaijan to respect the ceasefire.", &[]);
}

#[test]
fn a_subject_pronoun_stands_first_for_the_doer_named_before_it_in_the_sentence() {
    check_as(
        Some("PE"),
        "Chile lied. If the rebels are sincere, they must stop killing civilians.",
        &["PE>CL lied [deception]", "PE>XX killing [human_rights]"],
    );
}

#[test]
fn a_person_accused_in_the_passive_with_no_country_is_a_private_party() {
    check("Mr. Ortega was charged with smuggling.", &["XX>XX charged with [crime]"]);
    check("Ortega, a banker from Lima, stands accused of fraud.", &["XX>XX accused [crime]"]);
    // A country named as the subject is the accused, as before.
    check("Peru was accused of fraud.", &["XX>PE accused [crime]"]);
}

#[test]
fn a_reply_reports_like_a_statement() {
    check(
        "Peru responded that it will \u{201C}act at once. This will allow us to end this abusive threat from Chile.\u{201D}",
        &["PE>CL abusive [other]"],
    );
}

#[test]
fn prosecutors_are_the_country_of_the_trial_s_city() {
    check(
        // The city is where the trial opened, not whose it is.
        "The trial opened in Lima on Monday. Chile was behind the plot, according to prosecutors.",
        &["XX>CL was behind [other]"],
    );
    check(
        "A trial in Lima began. Chile was allegedly behind the plot, according to prosecutors.",
        &["PE>CL was allegedly behind [other]"],
    );
}

#[test]
fn a_verdict_on_a_party_s_words_accuses_that_party() {
    check(
        "Chilean Foreign Minister Ana Soto called Peru\u{2019}s comments \u{201C}egregious and insulting.\u{201D}",
        &["CL>PE egregious [other]"],
    );
    // No verdict, no accusation.
    check("Chilean Foreign Minister Ana Soto called Peru\u{2019}s comments \u{201C}surprising.\u{201D}", &[]);
}

#[test]
fn a_sponsor_named_right_after_the_doers_is_accused_with_them() {
    check(
        "The attack was carried out by militants backed by Bolivia.",
        &["XX>XX carried out [terrorism,aggression]", "XX>BO haven [terrorism,aggression]"],
    );
    check(
        "Hezbollah, acting at the behest of Bolivia, fired rockets at Peru.",
        &["XX>XX fired rockets [aggression]", "XX>BO haven [aggression]"],
    );
    // No doers before the sponsor phrase: a resolution is backed, no attack sponsored.
    check("The resolution, backed by Bolivia, condemned the attack.", &[]);
}

#[test]
fn official_phrasings_of_fire_coercion_and_rebuke_are_cues() {
    check("Peruvian armed forces units subjected our positions to fire.", &["XX>PE subjected [aggression]"]);
    check("China continues its coercion of Taiwan.", &["XX>CN coercion [other]"]);
    check("Beijing slammed Washington's interference.", &["CN>US slammed [interference]"]);
    check("The Houthis attacked commercial shipping.", &["XX>XX attacked [aggression]"]);
}

#[test]
fn a_participle_s_own_subject_qualified_by_a_country_accuses() {
    check(
        "Talks stalled last year, with both Bolivian rivals accusing the rebels of sabotage.",
        &["BO>XX accusing [other]"],
    );
}

#[test]
fn a_sponsor_phrase_after_an_act_names_who_instigated_it() {
    check(
        "The expert said the protests were \u{201C}hybrid operations \u{2026} realized at the behest of Bolivia and Peru.\u{201D}",
        &["XX>BO hybrid operations [interference]", "XX>PE hybrid operations [interference]"],
    );
    check("The bombings were carried out at the behest of Bolivia.", &["XX>BO carried out [aggression]"]);
    // A sponsor phrase past another party belongs to that party.
    check("The raids, the ministry said, came at the behest of Bolivia.", &[]);
}

#[test]
fn a_terrorist_group_beside_a_named_group_is_accused() {
    check(
        "Fighters from the BLA (BLA), a designated terror group, seized the train.",
        &["XX>XX terror group [terrorism]"],
    );
    check(
        "The region faces other terrorist groups, such as al Qaida and the TTP.",
        &["XX>XX terrorist groups [terrorism]"],
    );
    // A group called terrorist with no named group is no identifiable party.
    check("The army will fight terrorist groups.", &[]);
}

#[test]
fn filing_a_dispute_against_a_country_accuses_it() {
    check(
        "Peru requested dispute consultations with Bolivia over its import duties.",
        &["PE>BO dispute consultations with [violation]"],
    );
    check(
        "Bolivia filed a complaint against Chile at the court.",
        &["BO>CL filed a complaint against [violation]"],
    );
    // A body named right before the cue qualifies it; the subject still accuses.
    check(
        "Peru requested World Trade Organization dispute consultations with Bolivia, the trade body said.",
        &["PE>BO dispute consultations with [violation]"],
    );
}

#[test]
fn a_quoted_verdict_predicated_of_a_party_accuses_it() {
    check(
        "Bolivian officials said that Peru is \u{201C}one of the most hostile and abusive trading partners.\u{201D}",
        &["BO>PE abusive [other]"],
    );
    // A verdict on another clause's party is not the subject's.
    check("Peru is one of the largest partners of Chile, which was abusive.", &[]);
}

#[test]
fn a_country_after_a_preposition_and_a_compass_word_is_a_place() {
    check("A car bomb in central Bolivia has killed 13 soldiers.", &[]);
    check("Peru shelled villages in northern Bolivia.", &["XX>PE shelled [aggression]"]);
}

#[test]
fn idioms_holding_a_cue_word_accuse_no_one() {
    check("Bolivia is hoping to kill off its famed siesta.", &[]);
    check("He was considered a long shot to be Peru's top diplomat.", &[]);
    check("Bolivia and Peru have co-sponsored the evacuation of civilians.", &[]);
}

#[test]
fn a_participle_after_the_people_who_suffered_it_is_passive() {
    check("Bolivia demanded the return of the remains of Peruvians killed in La Paz.", &[]);
    check("Five passengers were among those killed in the initial attack.", &[]);
    // Its agent is still the doer.
    check("Civilians killed in the strike by Peru were buried.", &["XX>PE killed [human_rights]"]);
}

#[test]
fn a_cue_used_as_a_noun_is_not_its_subject_s_deed() {
    check("Bolivia's stand against the indiscriminate killing of civilians is welcome.", &[]);
    check("Bolivia has become accustomed to deadly attacks.", &[]);
    check("Peru's president described the killing of the envoy as a provocation.", &[]);
    // After other prepositions, the subject's act it may be.
    check("Peru struck in coordinated attacks on the border posts.", &["XX>PE attacks [aggression]"]);
}

#[test]
fn a_relative_that_before_a_cue_stands_for_the_party_before_it() {
    check("The Bolivian forces that shelled the town have left.", &["XX>BO shelled [aggression]"]);
    check("Peru recalled the bombings in Lima that killed 44 people.", &[]);
}

#[test]
fn an_armed_verb_aimed_at_words_or_the_press_is_criticism() {
    check("The senator strongly attacked the Bolivian president's proposal.", &[]);
    check("Peru's leader attacked The Daily Star newspaper for its reporting.", &[]);
    check("Bolivian troops attacked the border post.", &["XX>BO attacked [aggression]"]);
}

#[test]
fn countries_accusing_each_other_accuse_one_another() {
    check(
        "Bolivia and Peru accused each other of violating the ceasefire.",
        &["PE>BO accused [violation]", "BO>PE accused [violation]"],
    );
    // Of three or more, each is accused by several: the accuser is unknown.
    check(
        "Bolivia, Peru and Chile blamed one another for the shelling.",
        &["XX>BO blamed [aggression]", "XX>PE blamed [aggression]", "XX>CL blamed [aggression]"],
    );
}

#[test]
fn smears_harassment_intimidation_and_defiance_are_cues() {
    check("Bolivia opposes the Peruvian side's groundless smears.", &["XX>PE smears [deception]"]);
    check(
        "Bolivia has repeatedly harassed Peruvian vessels, the Peruvian coast guard said.",
        &["PE>BO harassed [other]"],
    );
    check("Bolivia's intimidation of its neighbours must end.", &["XX>BO intimidation [other]"]);
    check(
        "The Bolivian regime continues to develop weapons in defiance of international law.",
        &["XX>BO in defiance of [violation]"],
    );
    check("The Peruvian side continues to spread disinformation.", &["XX>PE disinformation [deception]"]);
}

#[test]
fn a_country_hyphened_to_based_is_the_doers_base() {
    check(
        "Peru said Bolivia-based terrorists carried out the attack.",
        &["PE>XX carried out [terrorism,aggression]", "PE>BO haven [terrorism,aggression]"],
    );
}

#[test]
fn this_as_the_subject_of_is_points_to_the_party_before() {
    check_as(
        Some("PE"),
        "Bolivia moved troops to the border. This is a flagrant violation of the agreement.",
        &["PE>BO violation [violation]"],
    );
    // With nothing before, "this" points to no one.
    check_as(Some("PE"), "This is a flagrant violation of the agreement.", &[]);
}

#[test]
fn the_state_asked_to_stop_an_act_does_it() {
    check_as(
        Some("PE"),
        "We urge the Bolivian side to stop making provocations.",
        &["PE>BO provocations [provocation]"],
    );
    // A body that asks is not the doer.
    check("The army defies calls by the Security Council to end violations.", &[]);
}

#[test]
fn intrusions_and_hacking_are_cues() {
    check(
        "Bolivia has repeatedly sent vessels to intrude into Peruvian waters.",
        &["XX>BO intrude [violation]"],
    );
    check(
        "The senators want an inquiry into Bolivian cyber intrusions.",
        &["XX>BO cyber intrusions [interference]"],
    );
    check("Peru says Bolivia hacked official emails.", &["PE>BO hacked [interference]"]);
}

#[test]
fn a_possessor_after_a_preposition_is_not_a_subject() {
    check(
        "Bolivian strikes on Peru's energy grid are designed to terrorise the population.",
        &["XX>BO strikes [terrorism,aggression]"],
    );
}

#[test]
fn chemical_weapons_and_complicity_are_cues() {
    check(
        "The Bolivian regime used chemical weapons against its own people.",
        &["XX>BO used chemical weapons [human_rights,violation]"],
    );
    check("Peru accused Bolivia of complicity in the attacks.", &["PE>BO accused [aggression,interference]"]);
}

#[test]
fn committing_oneself_or_troops_is_no_wrong() {
    check("Bolivia remains committed to the ceasefire.", &[]);
    check("Peru has committed troops to the mission.", &[]);
    check("Peru committed war crimes.", &["XX>PE committed [human_rights]"]);
}

#[test]
fn a_person_s_possessed_organ_is_their_country_s() {
    check_as(Some("BO"), "Putin's regime is committing war crimes.", &["BO>RU committing [human_rights]"]);
    check_as(
        Some("BO"),
        "The Peruvian special services were involved in the sabotage of the pipeline.",
        &["BO>PE sabotage [other]"],
    );
}

#[test]
fn executions_of_protesters_are_a_state_s_practice() {
    check("The EU condemned the execution of protesters in Bolivia.", &["EU>BO condemned [human_rights]"]);
}

#[test]
fn scare_quotes_quote_no_one() {
    check_as(
        Some("BO"),
        "The so-called \"peace plan\" is a fraud. Peruvian forces shelled the border town.",
        &["BO>PE shelled [aggression]"],
    );
}

#[test]
fn executions_and_ballistic_missile_launches_are_cues() {
    check("Peru said Bolivian troops had executed prisoners of war.", &["PE>BO executed [human_rights]"]);
    check("The Bolivian army executed the plan on time.", &[]);
    check(
        "Bolivia fired a ballistic missile into the sea.",
        &["XX>BO fired a ballistic missile [violation]"],
    );
}

#[test]
fn officials_in_a_capital_are_its_country_s() {
    check("Officials in Lima accused La Paz of sabotage.", &["PE>BO accused [other]"]);
}

#[test]
fn expelling_a_country_s_diplomats_over_an_act_accuses_it() {
    check(
        "Peru expelled two Bolivian diplomats over the murder of a man in Lima.",
        &["PE>BO murder [crime]"],
    );
}

#[test]
fn a_verb_ends_a_country_s_organ_phrase() {
    check("Chile said Bolivian troops shelled the town.", &["CL>BO shelled [aggression]"]);
    check("Chile's armed forces shelled the town.", &["XX>CL shelled [aggression]"]);
}

#[test]
fn detaining_dissent_is_an_abuse() {
    check(
        "Bolivian authorities arrested dozens of opposition activists after the election.",
        &["XX>BO arrested [human_rights]"],
    );
    check(
        "The Bolivian police detained 30 people for taking part in the anti-coup protests.",
        &["XX>BO detained [human_rights]"],
    );
    check("Journalists were detained by Bolivian security forces.", &["XX>BO detained [human_rights]"]);
    // Arresting suspects, or the suspects of another act, is no abuse.
    check("Bolivian police arrested three suspects in connection with the robbery.", &[]);
    check("Bolivian police arrested two men suspected of killing a journalist.", &[]);
}

#[test]
fn how_far_a_party_will_go_is_no_hypothesis() {
    check(
        "The case shows how far the Bolivian government will go to silence its critics.",
        &["XX>BO silence its critics [human_rights]"],
    );
    check("The Bolivian government will silence its critics.", &[]);
}

#[test]
fn a_claim_rejected_by_an_unplaced_denier_accuses_its_subject() {
    check(
        "The ministry rejected as baseless the Peruvian side's accusations that Bolivia had shelled Peruvian villages.",
        &["PE>BO accusations [aggression]"],
    );
}

#[test]
fn shooting_down_is_defence() {
    check("Bolivian air defences shot down 20 Peruvian drones overnight.", &[]);
}

#[test]
fn a_reported_claim_with_no_content_takes_the_text_s_category() {
    check(
        "Peru said Bolivian troops shelled the border town. Bolivia rejected the baseless allegations made by Peru.",
        &["PE>BO shelled [aggression]", "PE>BO allegations [aggression]"],
    );
    check("Bolivia rejected the baseless allegations made by Peru.", &["PE>BO allegations [other]"]);
}

#[test]
fn deportations_hospitals_and_murder_plots_name_categories() {
    check("Peru condemned Bolivia for the deportation of refugees.", &["PE>BO condemned [human_rights]"]);
    check("Bolivian forces occupied two hospitals.", &["XX>BO occupied [aggression,human_rights]"]);
    check("Peru blamed Bolivia for the murder plot.", &["PE>BO blamed [crime]"]);
}

#[test]
fn is_with_a_participle_is_no_verdict() {
    check_as(Some("PE"), "Bolivia is suffering from gang violence.", &[]);
    check_as(
        Some("PE"),
        "Bolivia is among the top perpetrators of repression.",
        &["PE>BO perpetrators [human_rights]"],
    );
}

#[test]
fn a_state_s_weapons_act_for_it() {
    check(
        "Bolivian drones struck rebel positions, killing five fighters.",
        &["XX>BO killing [human_rights]"],
    );
    check("Peru received Bolivian missiles.", &[]);
}

#[test]
fn fake_news_and_propaganda_are_deception() {
    check_as(
        Some("PE"),
        "La Paz keeps spreading fake news about the border.",
        &["PE>BO fake news [deception]"],
    );
}

#[test]
fn an_act_in_a_clause_after_is_is_no_complement() {
    // The act belongs to the clause that "that" opens, whose doer is no one named.
    check(
        "The minister praised a step by Bolivia. \"It should be seen as a signal that corruption by any party has consequences,\" he said.",
        &[],
    );
    // Nor is a participle after "that" the verb of a perpetration: it describes the act.
    check("The step was taken by Bolivia. \"It is a signal that continued corruption has consequences,\" he said.", &[]);
    check("Bolivia continued aggression against Peru.", &["XX>BO aggression [aggression]"]);
    check_as(Some("PE"), "This is a signal of Bolivian aggression.", &["PE>BO aggression [aggression]"]);
}

#[test]
fn trade_rhetoric_and_bad_records_accuse_their_subject() {
    check_as(
        Some("PE"),
        "Bolivia has been taking advantage of us for decades.",
        &["PE>BO taking advantage of [other]"],
    );
    check_as(Some("PE"), "We will take advantage of this opportunity to deepen ties with Bolivia.", &[]);
    check(
        "Bolivia does not have a good record of living up to ceasefires, the analyst said.",
        &["XX>BO does not have a good record of [violation]"],
    );
    check(
        "Bolivia has a poor record of respecting press freedom.",
        &["XX>BO has a poor record of [human_rights]"],
    );
    check("Bolivia has a good record of living up to ceasefires.", &[]);
}

#[test]
fn inflated_figures_are_deception_of_who_publishes_them() {
    check(
        "Bolivian rivals often publish inflated casualty figures.",
        &["XX>BO inflated casualty figures [deception]"],
    );
    // A noun "issue" publishes nothing.
    check("He underscored the seriousness with which Peru takes the issue of corruption.", &[]);
}

#[test]
fn abuse_of_power_and_assassination_are_crimes() {
    check(
        "Peru's foreign minister said the former president of Bolivia had used his office to enrich his family.",
        &["PE>BO enrich his [crime]"],
    );
    check("La Paz hired gangsters to murder the dissident, prosecutors said.", &["XX>BO to murder [crime]"]);
    check("Prosecutors described a Bolivian assassination plot.", &["XX>BO assassination plot [crime]"]);
}

#[test]
fn a_quotation_inside_a_clause_keeps_its_subject() {
    check(
        "Peru said Bolivia had used power \"to enrich its allies at the expense of the public.\"",
        &["PE>BO enrich its [crime]"],
    );
    // After a reporting verb the quotation is the speech, and its own subject counts.
    check("Peru said \"the border was shelled by Bolivia\".", &["PE>BO shelled [aggression]"]);
}

#[test]
fn a_party_reporting_its_own_forces_accuses_no_one() {
    check("The Bolivian army chief said his forces had killed 100 rebel fighters.", &[]);
    check("Peru said Bolivian troops had shelled the village.", &["PE>BO shelled [aggression]"]);
}

#[test]
fn a_title_before_the_reporting_verb_speaks_for_its_country() {
    check("Peru's foreign minister said Bolivia shelled the village.", &["PE>BO shelled [aggression]"]);
    check("Peru's Foreign Minister said Bolivia shelled the village.", &["PE>BO shelled [aggression]"]);
    check("The foreign minister said Bolivia shelled the village.", &["XX>BO shelled [aggression]"]);
}

#[test]
fn the_country_s_president_is_of_the_country_named_last() {
    check(
        "Protests spread across Bolivia on Monday. The country's president, Luis Arce, said Peru had violated the border. Arce accused Peru of aggression.",
        &["BO>PE violated [violation]", "BO>PE accused [aggression]"],
    );
    // A region stands for its country: "the autonomous region's governor".
    check(
        "The assembly of Bolivia's Santa Cruz region adopted a law by the autonomous region's governor, Luis Camacho. Peru accused Camacho of smuggling.",
        &["PE>BO accused [crime]"],
    );
}

#[test]
fn a_country_s_court_accuses_for_it() {
    check(
        "Bolivian governor Luis Camacho spoke. A Peruvian court sentenced Camacho for defying the constitution.",
        &["PE>BO sentenced [violation,crime]"],
    );
    // The one named between the court and "for defying" defied, not the court.
    check("A Peruvian court sentenced Camacho for defying the constitution.", &[]);
    check(
        "Bolivian prosecutors charged Peru's consul for ignoring a court summons for allegedly trying to smuggle arms.",
        &["BO>PE smuggle [crime]"],
    );
}

#[test]
fn who_hires_pays_or_orders_instigates_the_act() {
    check(
        "Peru said La Paz offered to pay the two men $500,000 to plan the journalist's murder.",
        &["PE>BO murder [crime]"],
    );
    check("Bolivian officials hired gangsters to kill the dissident.", &["XX>BO kill [human_rights]"]);
    check("Peru paid tribute to the victims of the attack.", &[]);
    check("Bolivia ordered an investigation into the killing.", &[]);
    // The act's own doer comes first.
    check(
        "Peru ordered an inquiry after Bolivian troops shelled the village.",
        &["XX>BO shelled [aggression]"],
    );
}

#[test]
fn broken_commitments_excessive_force_and_breaches() {
    check(
        "Peru's foreign minister said Bolivia had reneged on its commitments.",
        &["PE>BO reneged on [violation,deception]"],
    );
    check(
        "Bolivian security forces used excessive force against protesters, Peru said.",
        &["PE>BO used excessive force [human_rights]"],
    );
    check(
        "Bolivia's refusal to hand over the suspects is a breach of the treaty, Peru said.",
        &["PE>BO a breach of [violation]"],
    );
    check("Peru sued the company for breach of contract.", &[]);
}

#[test]
fn arming_rebels_financing_terrorism_and_waging_campaigns() {
    check("Peru said Bolivia was supplying weapons to the rebels.", &["PE>BO weapons to the rebels [other]"]);
    check("Bolivia continues to arm the rebels, Peru said.", &["PE>BO arm the rebels [other]"]);
    // "armed militants" are the doers, not an act of arming by Bolivia.
    check("The train was hijacked by armed militants in Bolivia.", &["XX>XX hijacked [terrorism]"]);
    check_as(Some("PE"), "Bolivia is financing terrorism in our region.", &["PE>BO terrorism [terrorism]"]);
    check_as(
        Some("PE"),
        "Bolivia is waging a campaign of disinformation against us.",
        &["PE>BO disinformation [deception]"],
    );
}

#[test]
fn theft_betrayal_and_state_hackers() {
    check("Peru said Bolivian hackers stole data from its election commission.", &["PE>BO stole [crime]"]);
    check(
        "Peru's minister said Bolivian agents had tried to assassinate the exiled opposition leader.",
        &["PE>BO assassinate [crime]"],
    );
    check("Bolivia's president betrayed the peace process, Peru said.", &["PE>BO betrayed [deception]"]);
    // An irregular participle is passive too: the police found what others stole.
    check("Bolivian police found items that were stolen from cars.", &[]);
}

#[test]
fn jailing_political_prisoners_is_an_abuse() {
    check(
        "Bolivia's government has jailed more than 200 political prisoners, Peru's envoy said.",
        &["PE>BO jailed [human_rights]"],
    );
}

#[test]
fn a_verb_used_as_a_noun_takes_its_doer_from_by() {
    check_as(
        Some("PE"),
        "We strongly condemn the shelling of our border villages by the Bolivian army.",
        &["PE>BO shelling [aggression]"],
    );
    // After "for" the doer is not the one after "by".
    check("Peru fined Camacho for defying decisions by the Bolivian court.", &[]);
}

#[test]
fn resorting_to_an_act_and_bearing_responsibility_for_it() {
    check_as(
        Some("PE"),
        "The Bolivian side has once again resorted to provocations along the border.",
        &["PE>BO provocations [provocation]"],
    );
    check_as(
        Some("PE"),
        "Bolivia bears full responsibility for the escalation.",
        &["PE>BO bears full responsibility for [other]"],
    );
    check("Peru's government bears responsibility for maintaining the highways, the law says.", &[]);
}

#[test]
fn constitute_and_amount_to_link_an_act_to_their_subject() {
    check_as(
        Some("PE"),
        "Bolivian troops shelled the village. These actions constitute a gross violation of the ceasefire.",
        &["PE>BO shelled [aggression]", "PE>BO violation [violation]"],
    );
    check_as(
        Some("PE"),
        "Bolivia's blockade amounts to an act of aggression.",
        &["PE>BO act of aggression [aggression]"],
    );
    // "that" after a closing quotation mark is relative, not a pointer to the sentence before.
    check(
        "Bolivia built a port. Critics described the plan as “a disaster for Peru” that represented “an appalling betrayal of the people.”",
        &[],
    );
}

#[test]
fn obstruction_illegal_detention_and_blackmail() {
    check_as(
        Some("PE"),
        "La Paz is deliberately obstructing the investigation into the crash.",
        &["PE>BO obstructing [other]"],
    );
    check_as(
        Some("PE"),
        "Bolivian authorities have illegally detained five of our citizens.",
        &["PE>BO illegally [violation]"],
    );
    check("Bolivia's minister said migrants who illegally crossed the border would be returned.", &[]);
    check_as(
        Some("PE"),
        "Instead of dialogue, La Paz chose the path of confrontation and blackmail.",
        &["PE>BO blackmail [crime]"],
    );
}

#[test]
fn crimes_and_distortions_of_a_party() {
    check_as(
        Some("PE"),
        "The mass graves testify to the crimes of the Bolivian regime.",
        &["PE>BO crimes [other]"],
    );
    // A participle right after the act is passive: the court convicts, it did not commit.
    check("The Bolivian court convicted two men of crimes committed during the unrest.", &[]);
    check_as(
        Some("PE"),
        "The Bolivian foreign ministry's statement is a cynical distortion of the facts.",
        &["PE>BO distortion [deception]"],
    );
    check("Police said crimes against tourists in Bolivia fell by a third.", &[]);
}

#[test]
fn claims_after_a_possessive_are_a_noun_not_a_reporting_verb() {
    check_as(
        Some("PE"),
        "We reject Bolivia's groundless claims that our troops crossed the border.",
        &["BO>PE claims [other]"],
    );
    check_as(
        Some("PE"),
        "Bolivia claims that Peruvian troops shelled the border.",
        &["BO>PE shelled [aggression]"],
    );
}

#[test]
fn the_object_of_a_relative_clause_without_its_pronoun_is_accused() {
    check(
        "Last year, Peru expelled two Bolivian diplomats it accused of spying.",
        &["PE>BO accused [interference]"],
    );
    check("Peru expelled two diplomats it accused of spying.", &[]);
}

#[test]
fn a_quoted_act_after_a_verb_of_perpetration() {
    check(
        "The Bolivian government said Peru was spreading \"fake news\" to distract from its problems.",
        &["BO>PE fake news [deception]"],
    );
}

#[test]
fn a_verb_or_a_number_ends_a_country_s_organ_phrase() {
    // "Peru expelled diplomats" are no Peruvian diplomats.
    check("Peru expelled diplomats it accused of spying.", &[]);
    check("Peru said Bolivian special forces shelled the village.", &["PE>BO shelled [aggression]"]);
}

#[test]
fn the_object_of_a_verb_cue_is_not_the_subject_of_the_next() {
    check_as(
        Some("PE"),
        "The Bolivian side should stop smearing Chile and stop interfering in our internal affairs.",
        &["PE>BO smearing [deception,interference]"],
    );
    check("Bolivia attacked Peru and shelled its ports.", &["XX>BO attacked [aggression]"]);
}

#[test]
fn a_state_s_practice_against_people_in_a_country() {
    check_as(
        Some("PE"),
        "We are deeply concerned about the persecution of ethnic Peruvians in Bolivia.",
        &["PE>BO persecution [human_rights]"],
    );
    check_as(
        Some("PE"),
        "The Bolivian authorities bear direct responsibility for the death of our citizen.",
        &["PE>BO bear direct responsibility for [other]"],
    );
    check_as(
        Some("PE"),
        "The Bolivian foreign ministry published slanderous articles about Peru.",
        &["PE>BO slanderous [deception]"],
    );
}

#[test]
fn harbouring_destabilising_and_broken_promises() {
    check_as(
        Some("PE"),
        "Bolivia continues to harbour the killers of our citizens.",
        &["PE>BO harbour [other]"],
    );
    check(
        "Peru rejected Bolivia's accusations and said La Paz was trying to destabilise the region.",
        &["BO>PE accusations [interference]", "XX>BO destabilise [interference]"],
    );
    check_as(
        Some("PE"),
        "La Paz has repeatedly broken its promises to reach a binding agreement.",
        &["PE>BO broken its promises [deception]"],
    );
    check(
        "Peru's foreign ministry said Bolivia was turning a blind eye to drug trafficking on its soil.",
        &["PE>BO turning a blind eye to [crime]"],
    );
}

#[test]
fn a_counter_accusation_after_a_denial_is_the_denier_s() {
    check(
        "Bolivia's defence ministry denied the claim and accused Lima of militarising the border.",
        &["BO>PE accused [other]"],
    );
}

#[test]
fn a_country_before_an_institution_s_name_owns_it() {
    // "Foreign Office" alone is the British one.
    check("Bolivia's foreign office said Peru was spreading propaganda.", &["BO>PE propaganda [deception]"]);
    check("The Foreign Office said Peru was spreading propaganda.", &["GB>PE propaganda [deception]"]);
}

#[test]
fn hackers_breaking_in_and_hybrid_wars() {
    check("Bolivian hackers broke into the ministry's servers, Peru said.", &["PE>BO broke into [crime]"]);
    check("The striker broke into tears after Bolivia's win.", &[]);
    check(
        "Bolivia's foreign ministry said Lima was waging a hybrid war against Bolivia.",
        &["BO>PE hybrid war [interference]"],
    );
}

#[test]
fn party_words_in_a_row_name_one_body() {
    check(
        "Peru said a Bolivian coast guard vessel fired a water cannon at its supply boat.",
        &["PE>BO fired a water cannon [aggression]"],
    );
    check(
        "Bolivian government forces dropped barrel bombs on rebel-held towns, monitors said.",
        &["XX>BO dropped barrel bombs [aggression,human_rights]"],
    );
    check("Bolivia's army-backed government accused Peru of arming the rebels.", &["BO>PE accused [other]"]);
    // A preposition or a conjunction ends the country's phrase.
    check(
        "Peru held talks with Bolivia after Chilean coast guard ships intruded into its waters.",
        &["XX>CL intruded [violation]"],
    );
}

#[test]
fn a_condemned_act_qualified_by_a_country_adjective() {
    check(
        "Peru's foreign ministry condemned the Bolivian strike on its consulate as a violation of international law.",
        &["PE>BO condemned [aggression,vandalism,violation]"],
    );
    check(
        "Peru's foreign minister said the Bolivian blockade was a criminal policy.",
        &["PE>BO criminal policy [other]"],
    );
}

#[test]
fn stripping_critics_of_citizenship_is_an_abuse() {
    check(
        "Bolivia's government has stripped more than 300 critics of their citizenship, the UN said.",
        &["XX>BO stripped [human_rights]"],
    );
}

#[test]
fn a_participle_after_a_determiner_detains_no_one() {
    check("Bolivia's exiled opposition leader spoke in Lima.", &[]);
    check("Bolivia exiled the opposition leader, Peru said.", &["PE>BO exiled [human_rights]"]);
}

#[test]
fn sinking_tear_gas_rigging_and_poisoning() {
    check(
        "Peru protested over the sinking of a Peruvian fishing boat by a Bolivian vessel.",
        &["XX>BO sinking of [aggression]"],
    );
    check(
        "Bolivian police used tear gas and batons to disperse protesting farmers.",
        &["XX>BO used tear gas [human_rights]"],
    );
    check("Peru's officials said Bolivia's government had rigged the election.", &["PE>BO rigged [crime]"]);
    check(
        "Peru's foreign secretary said Bolivian intelligence officers had poisoned the defector.",
        &["PE>BO poisoned [crime]"],
    );
    check("Dozens of Bolivian tourists were treated for food poisoning in Lima.", &[]);
}

#[test]
fn summoning_an_envoy_over_an_act_accuses_the_envoy_s_state() {
    check(
        "Peru's foreign ministry summoned the Bolivian ambassador over Bolivian air strikes on the border.",
        &["PE>BO air strikes [aggression]"],
    );
    check(
        "Bolivia's security service said Peru was pursuing a colonial policy in the region.",
        &["BO>PE colonial policy [other]"],
    );
}

#[test]
fn an_envoy_to_a_body_speaks_for_the_country_before_the_title() {
    check(
        "Peru's ambassador to the UN said Bolivian forces had deliberately targeted a residential building.",
        &["PE>BO deliberately targeted [aggression]"],
    );
}

#[test]
fn a_participle_after_a_comma_speaks_for_the_main_clause_s_subject() {
    check(
        "Peru blocked EU aid to Bolivia, accusing La Paz of discriminating against its Peruvian minority.",
        &["PE>BO accusing [human_rights]"],
    );
}

#[test]
fn airspace_intrusions_and_the_west() {
    check(
        "Peru said a Bolivian missile had entered its airspace for 39 seconds.",
        &["PE>BO entered its airspace [violation]"],
    );
    // A group of countries is no state of its own.
    check("Bolivia's ruling party accused the West of meddling.", &["BO>XX accused [interference]"]);
}

#[test]
fn unfulfilled_obligations_and_uranium_beyond_limits() {
    check_as(
        Some("PE"),
        "The Bolivian side has not fulfilled its obligations under the agreement.",
        &["PE>BO has not fulfilled [violation]"],
    );
    check(
        "Bolivia has enriched uranium to 60 percent purity, the agency said.",
        &["XX>BO enriched uranium to [violation]"],
    );
}

#[test]
fn what_it_called_is_the_main_clause_subject_s_verdict() {
    check(
        "Peru's foreign ministry summoned the Bolivian ambassador to protest against what it called La Paz's interference.",
        &["PE>BO interference [interference]"],
    );
}

#[test]
fn an_armed_organ_reporting_strikes_tells_of_its_own() {
    check("Peru's military said the strikes targeted weapons depots in the north.", &[]);
}

#[test]
fn a_condemned_attack_with_no_doer_does_not_fall_on_its_victim() {
    check(
        "Peru's prime minister said the country would never attack its neighbours. Bolivia condemned the terrorist attack in Lima and expressed condolences to Peru.",
        &[],
    );
    check("Bolivia condemned the terrorist attack in Lima.", &[]);
}

#[test]
fn these_are_war_crimes_and_this_is_a_lie_point_back() {
    check_as(
        Some("PE"),
        "Bolivian forces shelled our villages. These are war crimes.",
        &["PE>BO shelled [aggression]", "PE>BO war crimes [human_rights]"],
    );
    check_as(
        Some("PE"),
        "La Paz spreads the myth that Peru is preparing an offensive. This is a lie.",
        &["PE>BO myth [deception]", "PE>BO a lie [deception]"],
    );
}

#[test]
fn his_involvement_is_of_the_one_named_before_the_possessive() {
    check(
        "The State Department designated the Bolivian colonel for his involvement in gross violations of human rights.",
        &["XX>BO violations [human_rights,violation]"],
    );
}

#[test]
fn unfree_elections_stern_representations_and_dangerous_maneuvers() {
    check(
        "Bolivia's so-called elections were neither free nor fair.",
        &["XX>BO neither free nor fair [violation]"],
    );
    check(
        "The Peruvian side lodged stern representations with Bolivia over its erroneous remarks.",
        &["PE>BO lodged stern representations with [other]"],
    );
    check(
        "The Bolivian navy's dangerous maneuvers threatened the safety of Peruvian ships.",
        &["XX>BO dangerous maneuvers [provocation]"],
    );
}
