"""What the SYNTHETIC example workshops and interviews heard, council by council.

Data for ``survey/generate_example.py`` (kept apart so that its prose can be read and reviewed
on its own). Every statement is invented; none describes a real person or case.

Each council has its own sessions and its own statements, written for its service (domestic
abuse in Leicester, children's services and early help in Lambeth, adult social care in
Milton Keynes, fly-tipping in Canterbury), so no sentence is shared between councils or
between roles (issue 12, point 11; ``tests/test_example_data.py`` checks it):

* ``SESSIONS``: each session's id suffix, kind and attendance (``session_participants`` in the
  coding sheet). Staff workshops (``W``), partner workshops (``P``, partner agencies and the
  voluntary sector), a residents' group (``R``) and one-to-one interviews (``I``, one
  participant, whose role is given). The disclosure rule uses the attendance: a code count
  whose excerpts all come from sessions totalling one to seven people is suppressed.
* ``STATEMENTS``: ``(role, codes, text)``, one excerpt each: the participant role (a codebook
  ``participant_roles`` id), the codes the statement truly carries (the coders of the example
  find them with a sensitivity and a false-positive rate, see ``coding_rows``) and one
  coherent statement, spoken as that role would say it.
"""

from __future__ import annotations

FP, TM, AN, IT = "frontline_practitioner", "team_manager", "analyst", "it_systems"
PA, VS, RE = "partner_agency", "voluntary_sector", "resident"

#: (session suffix, kind, participants, role of an interview or None)
SESSIONS = {
    "leicester": [
        ("W01", "workshop", 12, None),
        ("W02", "workshop", 9, None),
        ("W03", "workshop", 14, None),
        ("W04", "workshop", 8, None),
        ("W05", "workshop", 11, None),
        ("W06", "workshop", 10, None),
        ("P01", "partners", 9, None),
        ("P02", "partners", 8, None),
        ("R01", "residents", 5, None),
        ("I01", "interview", 1, TM),
        ("I02", "interview", 1, AN),
        ("I03", "interview", 1, PA),
        ("I04", "interview", 1, RE),
        ("I05", "interview", 1, IT),
    ],
    "lambeth": [
        ("W01", "workshop", 14, None),
        ("W02", "workshop", 11, None),
        ("W03", "workshop", 12, None),
        ("W04", "workshop", 9, None),
        ("W05", "workshop", 13, None),
        ("W06", "workshop", 10, None),
        ("P01", "partners", 10, None),
        ("P02", "partners", 8, None),
        ("R01", "residents", 6, None),
        ("I01", "interview", 1, TM),
        ("I02", "interview", 1, AN),
        ("I03", "interview", 1, VS),
        ("I04", "interview", 1, RE),
        ("I05", "interview", 1, IT),
    ],
    "milton_keynes": [
        ("W01", "workshop", 10, None),
        ("W02", "workshop", 12, None),
        ("W03", "workshop", 9, None),
        ("W04", "workshop", 11, None),
        ("W05", "workshop", 8, None),
        ("W06", "workshop", 13, None),
        ("P01", "partners", 9, None),
        ("P02", "partners", 7, None),
        ("R01", "residents", 7, None),
        ("I01", "interview", 1, TM),
        ("I02", "interview", 1, AN),
        ("I03", "interview", 1, PA),
        ("I04", "interview", 1, RE),
        ("I05", "interview", 1, IT),
    ],
    "canterbury": [
        ("W01", "workshop", 9, None),
        ("W02", "workshop", 8, None),
        ("W03", "workshop", 10, None),
        ("W04", "workshop", 8, None),
        ("W05", "workshop", 9, None),
        ("W06", "workshop", 11, None),
        ("P01", "partners", 8, None),
        ("P02", "partners", 6, None),
        ("R01", "residents", 6, None),
        ("I01", "interview", 1, TM),
        ("I02", "interview", 1, AN),
        ("I03", "interview", 1, VS),
        ("I04", "interview", 1, RE),
        ("I05", "interview", 1, IT),
    ],
}

STATEMENTS = {
    # ---------------------------------------------------------------- Leicester: domestic abuse
    "leicester": [
        (
            FP,
            ("silo_systems", "repeat_story"),
            "The police notification is in one system and the advocate's notes are in another, so a "
            "woman can end up giving the same history to three of us in a week.",
        ),
        (
            FP,
            ("late_data",),
            "Police notifications reach us by email, and after a busy weekend the last of them is not "
            "opened until Tuesday.",
        ),
        (
            FP,
            ("late_data", "early_identification"),
            "We heard about the second assault ten days after it happened, when an earlier call "
            "could have changed her safety plan.",
        ),
        (
            FP,
            ("partner_sharing_barrier",),
            "The hospital will not confirm whether she attended without a signed consent form, even "
            "when the risk conference has her down as high risk.",
        ),
        (
            FP,
            ("governance_uncertainty",),
            "I am never sure whether I can write down what a neighbour told me on the phone, so "
            "usually I leave it out.",
        ),
        (
            FP,
            ("manual_rekeying",),
            "Every notification is typed by hand from the email into the case tracker, address, "
            "dates and all.",
        ),
        (
            FP,
            ("security_risk",),
            "When the secure mailbox is down, people forward referrals from their ordinary work "
            "email because the risk cannot wait.",
        ),
        (
            FP,
            ("early_identification",),
            "Looking back at the domestic homicide reviews, most of the women had been in contact "
            "with two or three services in the year before.",
        ),
        (
            FP,
            ("skilled_staff",),
            "The advocates know every case on their list by heart; what they lack is the time to "
            "write it up properly.",
        ),
        (
            FP,
            ("repeat_story",),
            "She asked me why she had to start from the beginning when she had already told the "
            "police everything that morning.",
        ),
        (
            FP,
            ("no_review",),
            "The referral form still asks for a marital status field that none of us has ever used.",
        ),
        (
            FP,
            ("capacity_pressure",),
            "With two advocate posts vacant, anything that is not a live risk goes to the bottom of "
            "the pile, cleaning up the data included.",
        ),
        (
            FP,
            ("decision_use",),
            "The risk score on the tracker moved her case to this week's conference instead of "
            "next month's.",
        ),
        (
            FP,
            ("data_quality_doubt",),
            "Half the notifications spell the perpetrator's name differently, so I cannot be sure "
            "we have matched his earlier incidents.",
        ),
        (
            FP,
            ("single_view",),
            "If I could see one record with the police call-outs, the advocate's notes and the "
            "housing case, I would know who is most at risk before I pick up the phone.",
        ),
        (
            FP,
            ("good_tool",),
            "The risk checklist on the tracker is quick to fill in, and everyone completes it the "
            "same way.",
        ),
        (
            FP,
            ("no_review",),
            "We still record the referrer's job title on every case because we always have, though "
            "no report uses it.",
        ),
        (
            FP,
            ("predictive_analytics",),
            "Knowing which standard-risk cases tend to come back as high risk would tell me whom to "
            "ring first on a Monday.",
        ),
        (
            TM,
            ("reporting_burden",),
            "The quarterly return to the Police and Crime Commissioner takes me three days of "
            "copying figures out of the tracker.",
        ),
        (
            TM,
            ("budget_evidence",),
            "The rise in high-risk referrals is what persuaded the cabinet member to fund two more "
            "advocate posts last year.",
        ),
        (
            TM,
            ("partner_sharing_barrier", "governance_uncertainty"),
            "The information-sharing agreement with the hospital lapsed in the spring and nobody "
            "knows who should sign the new one, so staff hold back.",
        ),
        (
            TM,
            ("automation",),
            "The monthly performance pack is the same set of queries every time and could be "
            "produced without anyone touching it.",
        ),
        (
            TM,
            ("capacity_pressure",),
            "We were promised an analyst for a day a week, and the post went in the last round of "
            "savings.",
        ),
        (
            TM,
            ("predictive_analytics",),
            "I would like to know which cases assessed as standard risk are likely to be back as "
            "high risk within six months.",
        ),
        (
            TM,
            ("decision_use",),
            "We put an advocate in the emergency department on Friday nights after the figures "
            "showed when most disclosures come in.",
        ),
        (
            TM,
            ("single_view", "silo_systems"),
            "Children's social care flags abuse in their system and we flag it in ours, and nobody "
            "joins the two.",
        ),
        (
            AN,
            ("data_quality_doubt",),
            "About a fifth of tracker records have no outcome recorded, so any figure on repeat "
            "victimisation is shaky.",
        ),
        (
            AN,
            ("good_tool",),
            "The partnership warehouse is the one place where police and council figures sit side "
            "by side, and it is dependable once a month's data is loaded.",
        ),
        (
            AN,
            ("predictive_analytics", "early_identification"),
            "With three years of linked notifications we could test whether repeat call-outs "
            "predict escalation to high risk.",
        ),
        (
            AN,
            ("skilled_staff",),
            "I taught myself the warehouse queries in the evenings, and now the whole team brings "
            "its questions to me.",
        ),
        (
            AN,
            ("reporting_burden", "automation"),
            "The first week of every month goes on producing the same risk conference statistics by "
            "hand; a scheduled report would give me that week back.",
        ),
        (
            AN,
            ("budget_evidence",),
            "Commissioning the new refuge places started from the occupancy returns, which showed "
            "women being turned away every month.",
        ),
        (
            IT,
            ("silo_systems",),
            "The tracker has no interface with the police system, so the only link between them is "
            "someone's inbox.",
        ),
        (
            IT,
            ("security_risk",),
            "The last audit found referral spreadsheets with full addresses saved on personal "
            "drives.",
        ),
        (
            IT,
            ("no_review",),
            "No one has reviewed the tracker's fields since it was installed six years ago, so we "
            "still collect things nobody reports on.",
        ),
        (
            IT,
            ("automation",),
            "The warehouse could take the tracker overnight if someone paid for the interface; at "
            "the moment it is a manual export.",
        ),
        (
            PA,
            ("partner_sharing_barrier",),
            "We send the council every domestic abuse notification, and we get nothing back about "
            "what happened next unless we chase it.",
        ),
        (
            PA,
            ("late_data",),
            "Our notifications go out in a batch the morning after, so a call on Friday night "
            "reaches the council on Monday.",
        ),
        (
            PA,
            ("governance_uncertainty",),
            "Our nurses in the emergency department are unsure whether they may tell the council "
            "about a disclosure without the patient's consent, so often they do not.",
        ),
        (
            PA,
            ("decision_use",),
            "When the council's figures showed how many repeat victims never reached an advocate, "
            "our sergeants started making the referral at the scene.",
        ),
        (
            PA,
            ("single_view",),
            "If our control room could see that a case already has an advocate, officers would know "
            "whom to call at two in the morning.",
        ),
        (
            PA,
            ("early_identification",),
            "In the emergency department we often see the injuries long before anyone calls the "
            "police.",
        ),
        (
            PA,
            ("manual_rekeying",),
            "Our staff copy each notification by hand from the crime system into the council's "
            "referral template.",
        ),
        (
            PA,
            ("data_quality_doubt",),
            "The council's count of high-risk cases never matches the force's, because we record a "
            "repeat incident differently.",
        ),
        (
            PA,
            ("capacity_pressure",),
            "The public protection unit is short of officers as well, so joint work on data keeps "
            "being put off.",
        ),
        (
            PA,
            ("no_review",),
            "The referral template asks for ethnicity codes the council stopped reporting years "
            "ago.",
        ),
        (
            VS,
            ("silo_systems",),
            "Our advocates keep their own spreadsheet because we cannot get into the council's "
            "tracker.",
        ),
        (
            VS,
            ("reporting_burden",),
            "Each month we fill in the council's occupancy return by hand, and it wants the figures "
            "in a different order from our funder's.",
        ),
        (
            VS,
            ("repeat_story",),
            "Women arrive at the refuge and have to go through everything again, because the "
            "referral that comes with them is a single line.",
        ),
        (
            VS,
            ("security_risk",),
            "Referrals still reach our general inbox as unencrypted attachments.",
        ),
        (
            VS,
            ("skilled_staff",),
            "The council's performance officer turns our questions round within a day and explains "
            "what the numbers mean.",
        ),
        (
            VS,
            ("partner_sharing_barrier",),
            "We would pass on our case outcomes, but no one has produced an agreement allowing us "
            "to.",
        ),
        (
            RE,
            ("repeat_story",),
            "I had to tell my story again to every new person, and each time it felt like the first "
            "time.",
        ),
        (
            RE,
            ("late_data",),
            "After I rang the helpline it was nearly three weeks before anyone got back to me.",
        ),
        (
            RE,
            ("governance_uncertainty",),
            "Nobody could tell me who would read what I had said about my ex-partner.",
        ),
        (
            RE,
            ("skilled_staff",),
            "My support worker had read the police report before we met, so I did not have to "
            "explain it all.",
        ),
        (
            RE,
            ("security_risk",),
            "A letter about my case went to my old address, where he still lives.",
        ),
        (
            RE,
            ("single_view",),
            "I wish the police, the hospital and the council could see the same information instead "
            "of each asking me separately.",
        ),
        (
            RE,
            ("early_identification",),
            "Looking back, my GP and the school both saw the signs long before I asked for help.",
        ),
        (
            RE,
            ("partner_sharing_barrier",),
            "The police said they could not pass my details to the council, so I had to ring them "
            "myself.",
        ),
    ],
    # ------------------------------------------------- Lambeth: children's services, early help
    "lambeth": [
        (
            FP,
            ("silo_systems", "repeat_story"),
            "Early help, social care and youth offending each keep their own record, so a mother "
            "can be asked the same questions three times in one week.",
        ),
        (
            FP,
            ("silo_systems",),
            "Before a strategy discussion I log into four systems and paste what I find into a Word "
            "document.",
        ),
        (
            FP,
            ("single_view",),
            "One screen with a child's attendance, the health visitor's concerns and any open case "
            "would save the front door hours every day.",
        ),
        (
            FP,
            ("manual_rekeying",),
            "Police notifications come in as emails, and someone retypes every one into the "
            "children's case system.",
        ),
        (
            FP,
            ("late_data",),
            "Exclusions reach us in a weekly spreadsheet, so we learn that a child has been out of "
            "school after the fact.",
        ),
        (
            FP,
            ("repeat_story",),
            "Parents tell us they have been through the same background with the school, the "
            "health visitor and now us.",
        ),
        (
            FP,
            ("governance_uncertainty",),
            "Colleagues are unsure whether they can record what a school nurse said informally, so "
            "it often stays out of the file.",
        ),
        (
            FP,
            ("data_quality_doubt",),
            "The same child can appear twice on the front-door list under two spellings, so the "
            "counts drift.",
        ),
        (
            FP,
            ("early_identification",),
            "With hindsight, most of the children who came into care had been referred to early "
            "help twice before.",
        ),
        (
            FP,
            ("security_risk",),
            "Case notes still get printed for home visits, and sometimes they spend days in "
            "someone's car.",
        ),
        (
            FP,
            ("capacity_pressure",),
            "Caseloads are so high that nobody has time to tidy the records, let alone change how we "
            "collect them.",
        ),
        (
            FP,
            ("decision_use",),
            "The re-referral figures changed how we close early help cases: now we phone the family "
            "a month later.",
        ),
        (
            FP,
            ("good_tool",),
            "The online contact form makes referrers give the child's date of birth and school, "
            "which has made triage quicker.",
        ),
        (
            FP,
            ("single_view",),
            "If we could join school attendance to our own records we would see the whole picture "
            "before the first visit.",
        ),
        (
            FP,
            ("predictive_analytics",),
            "A flag on the families most likely to be re-referred would help us decide who gets a "
            "follow-up call.",
        ),
        (
            FP,
            ("manual_rekeying", "data_quality_doubt"),
            "Health visitor concerns arrive by email and are typed in by hand, and the dates are "
            "often wrong by the time they reach the system.",
        ),
        (
            TM,
            ("reporting_burden",),
            "The children in need census takes two of us most of a month, pulling figures from "
            "three systems into one spreadsheet.",
        ),
        (
            TM,
            ("single_view", "silo_systems"),
            "We need one record for each family that every children's service can open, not three.",
        ),
        (
            TM,
            ("predictive_analytics",),
            "Which families closed to early help will be back within a year? That is the "
            "question I would most like the data to answer.",
        ),
        (
            TM,
            ("budget_evidence",),
            "The rise in contacts from schools was the evidence that got the front door two extra "
            "social workers.",
        ),
        (
            TM,
            ("no_review",),
            "Nobody has reviewed the contact form since the front door was set up, and half its "
            "fields feed nothing.",
        ),
        (
            TM,
            ("capacity_pressure",),
            "Every time we plan a data clean-up, a vacancy or an inspection takes the people away.",
        ),
        (
            TM,
            ("skilled_staff",),
            "Our practice leads know the data well and want to use it; they need time and access.",
        ),
        (
            TM,
            ("decision_use",),
            "The figures showed that most contacts from schools come in September and January, so "
            "we now staff the front door for those months.",
        ),
        (
            TM,
            ("governance_uncertainty",),
            "There is a lot of nervousness at the front door about what the rules let us share with "
            "schools.",
        ),
        (
            AN,
            ("data_quality_doubt",),
            "Ethnicity is missing on a third of early help assessments, so I cannot say much about "
            "whom we are not reaching.",
        ),
        (
            AN,
            ("reporting_burden", "automation"),
            "I build the monthly performance pack by hand in Excel pivot tables, when the "
            "same queries could run overnight.",
        ),
        (
            AN,
            ("predictive_analytics",),
            "With attendance and housing data linked we could test whether persistent absence "
            "predicts a referral.",
        ),
        (
            AN,
            ("silo_systems",),
            "The youth offending records sit in a separate database, so any count of children known "
            "to both services is a manual match.",
        ),
        (
            AN,
            ("good_tool",),
            "The departmental SQL database is what lets me put early help and social care figures "
            "together, and it has never let me down.",
        ),
        (
            AN,
            ("skilled_staff",),
            "Two of the early help coordinators taught themselves to write queries and now answer "
            "most of their teams' requests.",
        ),
        (
            AN,
            ("budget_evidence",),
            "The cost of placements per child was the figure that persuaded members to invest in "
            "early help.",
        ),
        (
            IT,
            ("security_risk",),
            "Schools still send attendance spreadsheets to a general mailbox without encryption.",
        ),
        (
            IT,
            ("silo_systems",),
            "There is no interface between the children's case system and the youth offending "
            "database, and a nightly export would need a contract change.",
        ),
        (
            IT,
            ("automation",),
            "The census extract could be scheduled if the three systems shared a reference for each "
            "child.",
        ),
        (
            IT,
            ("no_review",),
            "We still keep a field for referrals received by fax because nobody has asked us to "
            "remove it.",
        ),
        (
            PA,
            ("late_data",),
            "We raise a safeguarding concern and hear nothing for weeks, by which time the family "
            "has often moved on.",
        ),
        (
            PA,
            ("partner_sharing_barrier",),
            "Our health visitors would tell the council more about new babies, but the agreement "
            "covering it has never been signed.",
        ),
        (
            PA,
            ("repeat_story",),
            "Parents tell us the council asked them about things they had already told our "
            "safeguarding lead.",
        ),
        (
            PA,
            ("manual_rekeying",),
            "Our safeguarding leads type each concern into the council's online form and then again "
            "into the pupil records.",
        ),
        (
            PA,
            ("governance_uncertainty",),
            "Health visitors are never sure what they may pass to children's social care without "
            "consent, so they say less.",
        ),
        (
            PA,
            ("decision_use",),
            "When the council showed us how many notifications concerned the same few households, "
            "we changed how we flag repeat call-outs.",
        ),
        (
            PA,
            ("single_view",),
            "If teachers could see that a child already has an early help worker, we would ring that "
            "worker before making a referral.",
        ),
        (
            PA,
            ("no_review",),
            "The council's form still asks schools for things that stopped mattering years ago, and "
            "nobody has asked what would help.",
        ),
        (
            PA,
            ("data_quality_doubt",),
            "The council's count of police notifications never matches ours, because we count "
            "incidents and they count children.",
        ),
        (
            PA,
            ("capacity_pressure",),
            "Safeguarding leads in schools are stretched too, so the data-sharing meetings keep "
            "being cancelled.",
        ),
        (
            VS,
            ("silo_systems",),
            "Our family workers keep their own database because we cannot see the council's case "
            "system.",
        ),
        (
            VS,
            ("reporting_burden",),
            "The council wants a monthly return laid out differently from the one our trustees use, "
            "so it takes a day to redo.",
        ),
        (
            VS,
            ("early_identification",),
            "Our family workers often notice the warning signs first, and the council hears about "
            "it only at crisis point.",
        ),
        (
            VS,
            ("partner_sharing_barrier",),
            "We refer families in and never find out what was decided, so we cannot plan our own "
            "support.",
        ),
        (
            VS,
            ("security_risk",),
            "Referrals reach us by ordinary email with the child's full details in the subject "
            "line.",
        ),
        (
            RE,
            ("repeat_story",),
            "Every new worker asked me about my son's diagnosis as if nobody had ever written it "
            "down.",
        ),
        (
            RE,
            ("late_data",),
            "It was six weeks between the school's referral and the first phone call from "
            "children's services.",
        ),
        (
            RE,
            ("single_view",),
            "I wish everyone could see the whole picture in one place instead of each service "
            "ringing me in turn.",
        ),
        (
            RE,
            ("governance_uncertainty",),
            "No one could say whether the school would see what I told the family worker.",
        ),
        (
            RE,
            ("data_quality_doubt",),
            "The letter had my daughter's surname wrong and named a school she left two years ago.",
        ),
        (
            RE,
            ("skilled_staff",),
            "Our social worker had read everything before she came round, which made a real "
            "difference.",
        ),
        (
            RE,
            ("decision_use",),
            "The family worker looked at what was already on record and arranged the nursery place "
            "that week.",
        ),
        (
            RE,
            ("no_review",),
            "The form asked about things that had nothing to do with us and nothing about what we "
            "actually needed.",
        ),
        (
            RE,
            ("capacity_pressure",),
            "Everyone we met was kind, but you could tell they had far too many families to see.",
        ),
    ],
    # ------------------------------------------------------- Milton Keynes: adult social care
    "milton_keynes": [
        (
            FP,
            ("manual_rekeying",),
            "Hospital discharge referrals arrive as emails and we retype every one into our "
            "case system.",
        ),
        (
            FP,
            ("late_data",),
            "Discharge referrals often reach us the afternoon before the person is due home, which "
            "leaves no time to arrange care.",
        ),
        (
            FP,
            ("repeat_story",),
            "People say they have already given their history to the ward, the GP and the contact "
            "centre, and now we are asking again.",
        ),
        (
            FP,
            ("late_data", "early_identification"),
            "By the time the GP's referral reaches us, the carer has usually reached breaking "
            "point.",
        ),
        (
            FP,
            ("manual_rekeying", "data_quality_doubt"),
            "The contact centre types each phone referral into a form and we type it again into the "
            "system, so mistakes creep in twice.",
        ),
        (
            FP,
            ("decision_use",),
            "The waiting list by locality showed one team with twice the backlog, so we moved two "
            "assessors across for a month.",
        ),
        (
            FP,
            ("good_tool",),
            "The adult social care system is good at what it does once the information is in; "
            "getting it in is what hurts.",
        ),
        (
            FP,
            ("governance_uncertainty",),
            "Nobody is quite sure whether a neighbour's worries about an older person belong"
            " on the file, so they rarely get there.",
        ),
        (
            FP,
            ("single_view",),
            "One view of a person's hospital stays, GP referrals and care plan would stop us ringing "
            "three places before every review.",
        ),
        (
            FP,
            ("security_risk",),
            "Assessment notes are sometimes handwritten at the visit and stay in a bag until the "
            "next office day.",
        ),
        (
            FP,
            ("reporting_burden",),
            "Every month a colleague and I spend two days building the waiting-times return in a "
            "spreadsheet.",
        ),
        (
            FP,
            ("capacity_pressure",),
            "With the winter pressures anything that is not an assessment waits, including fixing "
            "the referral form.",
        ),
        (
            FP,
            ("skilled_staff",),
            "Our senior practitioners know the system inside out and are keen to make better use of "
            "the data.",
        ),
        (
            FP,
            ("manual_rekeying",),
            "Half my morning goes on copying discharge emails into the system by hand.",
        ),
        (
            FP,
            ("no_review",),
            "We still record a fax number for every referrer, though no one has sent a fax in "
            "years.",
        ),
        (
            FP,
            ("governance_uncertainty",),
            "People are wary of what we are allowed to tell the care agencies about a client's "
            "health.",
        ),
        (
            FP,
            ("predictive_analytics",),
            "Knowing which people leaving hospital are likely to be readmitted would let us plan "
            "the first week's visits.",
        ),
        (
            TM,
            ("decision_use", "budget_evidence"),
            "The figures on repeat hospital admissions were what got the reablement service "
            "extended.",
        ),
        (
            TM,
            ("reporting_burden", "automation"),
            "The annual short and long term support return is the same queries every year and "
            "should run on its own.",
        ),
        (
            TM,
            ("late_data",),
            "Care provider review returns arrive a month after the quarter ends, so we are always "
            "looking backwards.",
        ),
        (
            TM,
            ("predictive_analytics",),
            "We would value a forecast of how many discharges will need a package of care next "
            "winter.",
        ),
        (
            TM,
            ("budget_evidence",),
            "The new home-care contract was shaped by what the data said about demand in each "
            "locality.",
        ),
        (
            TM,
            ("no_review",),
            "The care provider return has not changed in years and nobody asks why we collect half "
            "of it.",
        ),
        (
            TM,
            ("capacity_pressure",),
            "There is no budget to change the referral process this year, whatever it costs us in "
            "staff time.",
        ),
        (
            TM,
            ("silo_systems",),
            "Reablement runs its own scheduling system, so we piece each person's journey together "
            "by hand.",
        ),
        (
            TM,
            ("partner_sharing_barrier",),
            "The hospital trust insists on a fresh agreement every time we ask for a different "
            "extract.",
        ),
        (
            AN,
            ("good_tool",),
            "The council data warehouse has made the monthly figures something managers trust, and "
            "the dashboard refreshes every night.",
        ),
        (
            AN,
            ("data_quality_doubt",),
            "The same person can be recorded twice when they come through the contact centre and the "
            "online form.",
        ),
        (
            AN,
            ("automation",),
            "Most of our returns are the same warehouse query run by hand each month, and they "
            "could be scheduled.",
        ),
        (
            AN,
            ("predictive_analytics", "early_identification"),
            "Linking falls call-outs to our records might show who is likely to need care before "
            "they end up in hospital.",
        ),
        (
            AN,
            ("skilled_staff",),
            "The business intelligence team runs drop-in sessions, and the practitioners who come "
            "now build their own reports.",
        ),
        (
            AN,
            ("reporting_burden",),
            "At year end I spend most of a month checking figures for returns nobody in the council "
            "reads.",
        ),
        (
            AN,
            ("decision_use",),
            "The locality dashboard showed review backlogs building in the north of the city, so "
            "the rota was changed.",
        ),
        (
            IT,
            ("good_tool",),
            "The overnight feed from the case system into the warehouse has not failed once since we "
            "rebuilt it.",
        ),
        (
            IT,
            ("silo_systems",),
            "The hospital's patient system and ours have no link, so discharge information comes as "
            "emails.",
        ),
        (
            IT,
            ("security_risk",),
            "We still find referral spreadsheets forwarded to personal email accounts to be worked "
            "on at home.",
        ),
        (
            IT,
            ("no_review",),
            "The online self-referral form has not been reviewed since it went live, and people skip "
            "half of it.",
        ),
        (
            PA,
            ("manual_rekeying",),
            "Our ward staff key each discharge in twice, typed once into the hospital's "
            "system and once into the council's referral form.",
        ),
        (
            PA,
            ("late_data",),
            "We send the referral as soon as the consultant agrees, and it sits in the council's "
            "inbox until the next morning.",
        ),
        (
            PA,
            ("early_identification",),
            "In general practice we see frailty building up for months before anyone refers to the "
            "council.",
        ),
        (
            PA,
            ("single_view",),
            "If the discharge team could see that someone already has a care package, we would not "
            "have to phone round before they go home.",
        ),
        (
            PA,
            ("reporting_burden",),
            "The council's review return asks for the same figures as the Care Quality Commission, "
            "in a different format.",
        ),
        (
            PA,
            ("partner_sharing_barrier",),
            "The practice would share more about patients at risk if anyone could show us what "
            "permits it.",
        ),
        (
            PA,
            ("decision_use",),
            "Seeing the council's breakdown of delays, most of them waiting on a financial "
            "assessment, we started referring earlier in the stay.",
        ),
        (
            PA,
            ("governance_uncertainty",),
            "Our officers do not know how much they may say about a vulnerable adult without"
            " consent, so the concerns they raise are often thin.",
        ),
        (
            PA,
            ("repeat_story",),
            "Patients complain that after going through it all with our discharge nurse, the"
            " council rang and asked the same questions again.",
        ),
        (
            PA,
            ("data_quality_doubt",),
            "Our delayed-discharge numbers and the council's always differ, since the "
            "hospital counts bed days and they count people.",
        ),
        (
            VS,
            ("repeat_story",),
            "Carers tell us they have gone over their parent's needs with every service, one after "
            "another.",
        ),
        (
            VS,
            ("late_data",),
            "We refer carers for an assessment and hear back weeks later, when the moment to help "
            "has gone.",
        ),
        (
            VS,
            ("skilled_staff",),
            "The council's data officer understands the figures and always finds us what we ask "
            "for.",
        ),
        (
            VS,
            ("capacity_pressure",),
            "Our volunteers are already doing more than they should, so anything new on data "
            "slips.",
        ),
        (
            RE,
            ("repeat_story",),
            "I had to go over my mum's needs again with every new person I spoke to.",
        ),
        (
            RE,
            ("late_data",),
            "After I asked for help for my dad it was a month before the assessor rang.",
        ),
        (
            RE,
            ("good_tool",),
            "The online form was simple to fill in and gave me a reference number straight away.",
        ),
        (
            RE,
            ("data_quality_doubt",),
            "Adult social care had my mother's address wrong, and I had to correct it more than "
            "once.",
        ),
        (
            RE,
            ("single_view",),
            "Her medication list should be on one record that the hospital and the council "
            "both use, not something I recite on every call.",
        ),
        (
            RE,
            ("decision_use",),
            "The assessor had read her file before arriving and sorted out the equipment that day.",
        ),
        (RE, ("security_risk",), "A letter about my father's care went to the house next door."),
        (RE, ("capacity_pressure",), "The staff I met were helpful but obviously overworked."),
        (
            RE,
            ("early_identification",),
            "If I am honest, someone could have seen her struggling months before the fall.",
        ),
    ],
    # ------------------------------------------------------------ Canterbury: fly-tipping
    "canterbury": [
        (
            FP,
            ("decision_use",),
            "The map of last month's reports showed the same three lay-bys again, so we moved the "
            "cameras there.",
        ),
        (
            FP,
            ("good_tool",),
            "The street-scene app lets the crews photograph a tip and close the job on the spot, and "
            "people actually like using it.",
        ),
        (
            FP,
            ("late_data",),
            "Phone reports are written on a form and passed on, so the crew often arrives a day "
            "after the caller saw the rubbish.",
        ),
        (
            FP,
            ("manual_rekeying",),
            "Someone types up every phone report by hand from the contact centre's form into"
            " the waste system.",
        ),
        (
            FP,
            ("predictive_analytics",),
            "We would love to know which sites are likely to be hit next after we clear one.",
        ),
        (
            FP,
            ("early_identification",),
            "A lay-by with two bin bags in it one week usually has a mattress and a sofa the next.",
        ),
        (
            FP,
            ("silo_systems",),
            "Enforcement notices live in a spreadsheet and clearances in the waste system, and "
            "nothing links the two.",
        ),
        (
            FP,
            ("data_quality_doubt",),
            "Callers give the nearest postcode, so one tip can be logged as three different jobs.",
        ),
        (
            FP,
            ("security_risk",),
            "Photographs of number plates sit on officers' own phones until someone uploads them.",
        ),
        (
            FP,
            ("reporting_burden",),
            "At the end of each month we spend most of a week chasing crew sheets to complete the "
            "county's return.",
        ),
        (
            FP,
            ("governance_uncertainty",),
            "We are never sure how long we may keep the camera footage once a case is closed.",
        ),
        (
            FP,
            ("skilled_staff",),
            "One of our officers built the hotspot map himself, and it is the first thing we look at "
            "on a Monday.",
        ),
        (
            FP,
            ("capacity_pressure",),
            "There are three of us for the whole district, so tidying the data always loses to "
            "clearing the next tip.",
        ),
        (
            FP,
            ("automation",),
            "The weekly hotspot list is the same filter every Monday and could arrive in our inboxes "
            "without anyone running it.",
        ),
        (
            FP,
            ("no_review",),
            "The phone report form still has a box for the kind of livestock involved, and nobody "
            "remembers why.",
        ),
        (
            FP,
            ("partner_sharing_barrier",),
            "Housing caretakers email us their reports, but we are not allowed to know which "
            "tenancies they relate to.",
        ),
        (
            FP,
            ("good_tool",),
            "The photos in the app settle most arguments about whether a site was cleared.",
        ),
        (
            FP,
            ("predictive_analytics", "early_identification"),
            "A warning when a site starts getting regular small tips would tell us where to put the "
            "camera before it turns into a dump.",
        ),
        (
            TM,
            ("decision_use", "budget_evidence"),
            "The clearance costs by site persuaded members to pay for the extra cameras.",
        ),
        (
            TM,
            ("automation",),
            "The monthly return to the county is the same report every time and could run itself "
            "overnight.",
        ),
        (
            TM,
            ("budget_evidence",),
            "The weekend crew was funded because the figures showed where the rubbish was landing "
            "on Saturdays.",
        ),
        (
            TM,
            ("predictive_analytics",),
            "A forecast of where dumping is likely in the summer would let us plan crews and camera "
            "moves.",
        ),
        (
            TM,
            ("partner_sharing_barrier",),
            "The county waste team will not give us site-level figures without a new agreement each "
            "time.",
        ),
        (
            TM,
            ("no_review",),
            "Nobody has reviewed the columns of the enforcement spreadsheet in years, and half of "
            "them are never filled in.",
        ),
        (
            TM,
            ("capacity_pressure",),
            "Whenever we plan to sort out the data, a vacancy or the summer peak takes the time.",
        ),
        (
            TM,
            ("skilled_staff",),
            "Our crews know every lay-by in the district and would use the data if we gave them the "
            "time.",
        ),
        (
            TM,
            ("early_identification",),
            "Spotting a new dumping place in its first week means one camera stops it costing us "
            "thousands.",
        ),
        (
            AN,
            ("good_tool",),
            "The GIS mapping tool works well, and the crews trust the map because they see their own "
            "jobs on it.",
        ),
        (
            AN,
            ("predictive_analytics",),
            "Two years of reports are enough to test whether weather and bank holidays predict the "
            "busy weeks.",
        ),
        (
            AN,
            ("data_quality_doubt",),
            "The same fly-tip can be reported online and by phone, and I can only guess which "
            "reports are duplicates.",
        ),
        (
            AN,
            ("automation", "reporting_burden"),
            "The monthly figures for members are copied out of the waste system by hand, and a "
            "scheduled extract would save me two days.",
        ),
        (
            AN,
            ("single_view",),
            "One record for each site, with every report, clearance and notice on it, would show "
            "which places we keep going back to.",
        ),
        (
            AN,
            ("decision_use",),
            "Clearance times by ward showed the east of the district waiting twice as long, so the "
            "rounds were changed.",
        ),
        (
            AN,
            ("silo_systems",),
            "Caretaker reports from the housing estates arrive by email and never make it into the "
            "waste system.",
        ),
        (
            IT,
            ("silo_systems",),
            "The app and the waste system only talk through a nightly file, and when it fails nobody "
            "notices for days.",
        ),
        (
            IT,
            ("security_risk",),
            "The enforcement spreadsheet with names and addresses sits on a shared drive that "
            "anyone can open.",
        ),
        (
            IT,
            ("good_tool",),
            "The online reporting form is the most dependable system we run; it has hardly been "
            "down in two years.",
        ),
        (
            IT,
            ("automation",),
            "The county return could be produced directly by the waste system if our codes "
            "matched theirs.",
        ),
        (
            PA,
            ("late_data",),
            "The monthly tonnage figures we send reach the district weeks after the month closes, "
            "so nobody can act on them.",
        ),
        (
            PA,
            ("partner_sharing_barrier",),
            "We would share incident data on the larger dumps, but the district has never signed "
            "the agreement we sent.",
        ),
        (
            PA,
            ("manual_rekeying",),
            "Our officers copy each site's tonnage out of the county's waste database by hand to "
            "send it across.",
        ),
        (
            PA,
            ("decision_use",),
            "When the district showed us the same farm track coming up again and again, we made it "
            "one of our priority sites.",
        ),
        (
            PA,
            ("data_quality_doubt",),
            "The district's figures never agree with the county's, because we weigh loads and they "
            "count jobs.",
        ),
        (
            PA,
            ("single_view",),
            "If the rural crime team could see in one place which vehicles the district has logged "
            "at tips, we would not start from scratch.",
        ),
        (
            PA,
            ("governance_uncertainty",),
            "Officers are unsure what they may tell the district about a suspect's vehicle, so they "
            "tell it very little.",
        ),
        (
            PA,
            ("reporting_burden",),
            "The district asks us for the figures that are already in the county's annual return, "
            "laid out differently.",
        ),
        (
            VS,
            ("early_identification",),
            "Our volunteers notice a new dumping spot weeks before it reaches the council.",
        ),
        (
            VS,
            ("silo_systems",),
            "We log everything we pick up in our group's spreadsheet, and the council cannot see any "
            "of it.",
        ),
        (
            VS,
            ("good_tool",),
            "The council's online form is quick to use and tells us when a report has been picked "
            "up.",
        ),
        (
            VS,
            ("capacity_pressure",),
            "There are only a dozen of us, so anything beyond the monthly litter pick slips.",
        ),
        (
            RE,
            ("repeat_story",),
            "I reported the same pile three times and had to describe where it was all over again "
            "each time.",
        ),
        (
            RE,
            ("good_tool",),
            "Reporting it online took two minutes, and I got a photo of the cleared lay-by the next "
            "day.",
        ),
        (
            RE,
            ("late_data",),
            "After I reported the dumped rubbish it stayed there for nearly two weeks.",
        ),
        (
            RE,
            ("decision_use",),
            "After a few of us reported the same lane, the council put a camera up and the dumping "
            "stopped.",
        ),
        (
            RE,
            ("governance_uncertainty",),
            "Nobody could say whether my name would be passed on to the person I had reported.",
        ),
        (
            RE,
            ("data_quality_doubt",),
            "The council's reply said the rubbish had been cleared, but it was still there when I "
            "walked past.",
        ),
        (
            RE,
            ("security_risk",),
            "I was told my report was confidential, and then the officer mentioned my name to the "
            "landlord.",
        ),
        (
            RE,
            ("early_identification",),
            "Anyone walking a dog could have told them that corner was becoming a tip months ago.",
        ),
        (
            RE,
            ("single_view",),
            "Every report about our lane seems to be treated as new, when one record of the "
            "place would show it has been going on for a year.",
        ),
    ],
}
