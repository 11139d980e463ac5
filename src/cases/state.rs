//! A case's state in words, from the type of its latest notice. The table is the one home of
//! what each notice type means for a case; a type not in it is shown as printed, in lower case.

/// Notice type (as the `notice_type` column spells it, compared without case) → the state it
/// leaves the case in.
const STATE_OF_NOTICE_TYPE: &[(&str, &str)] = &[
    ("Receipt Notice", "receipt"),
    (
        "Premium Processing Receipt Notice",
        "premium processing receipt",
    ),
    ("Approval Notice", "approved"),
    ("Rejection Notice", "rejected"),
    ("Denial Notice", "denied"),
    ("Transfer Notice", "transferred"),
    ("Re-open Notice", "reopened"),
    ("Request for Evidence", "request for evidence"),
    ("Notice of Intent to Deny", "intent to deny"),
    ("ASC Appointment Notice", "biometrics appointment"),
    ("Biometrics Appointment Notice", "biometrics appointment"),
    ("Biometric Notification", "biometrics appointment"),
    ("Rescheduled Appointment Notice", "appointment rescheduled"),
    ("Interview Appointment Notice", "interview scheduled"),
    (
        "Request for Applicant to Appear for Initial Interview",
        "interview scheduled",
    ),
    (
        "Request for Applicant to Appear for Interview",
        "interview scheduled",
    ),
    (
        "Request for Applicant to Appear for Naturalization Initial Interview",
        "interview scheduled",
    ),
    ("Notice of Intent to Revoke", "intent to revoke"),
    ("Account Access Notice", "online account access"),
    ("Welcome Notice", "welcome notice"),
    ("Welcome Letter", "at NVC"),
];

/// Rows without a notice type: by `number_kind`. A receipt number named without one is only
/// mentioned (a cover letter); an NVC case number is on an NVC letter.
const STATE_WITHOUT_NOTICE_TYPE: &[(&str, &str)] =
    &[("nvc_case", "at NVC"), ("uscis_receipt", "mentioned")];

/// The state words for a notice of type `notice_type` on a number of kind `number_kind`.
pub fn state_words(notice_type: &str, number_kind: &str) -> String {
    if notice_type.is_empty() {
        return lookup(STATE_WITHOUT_NOTICE_TYPE, number_kind)
            .unwrap_or("mentioned")
            .to_string();
    }
    lookup(STATE_OF_NOTICE_TYPE, notice_type)
        .map_or_else(|| notice_type.to_lowercase(), str::to_string)
}

fn lookup(table: &[(&str, &'static str)], key: &str) -> Option<&'static str> {
    table
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(key))
        .map(|&(_, words)| words)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notice_types_read_as_states_and_unknown_types_as_printed() {
        assert_eq!(state_words("Approval Notice", "uscis_receipt"), "approved");
        assert_eq!(state_words("APPROVAL NOTICE", "uscis_receipt"), "approved");
        assert_eq!(
            state_words("Request for Evidence", "uscis_receipt"),
            "request for evidence"
        );
        assert_eq!(
            state_words("Fee Waiver Notice", "uscis_receipt"),
            "fee waiver notice"
        );
        assert_eq!(state_words("", "nvc_case"), "at NVC");
        assert_eq!(state_words("", "uscis_receipt"), "mentioned");
    }

    #[test]
    fn every_notice_type_the_reader_gives_has_a_state() {
        for (_, canonical) in i797_core::NOTICE_TYPES {
            assert!(
                lookup(STATE_OF_NOTICE_TYPE, canonical).is_some(),
                "{canonical} has no state in the table"
            );
        }
    }

    #[test]
    fn every_notice_type_in_the_table_is_there_once() {
        for (index, (name, _)) in STATE_OF_NOTICE_TYPE.iter().enumerate() {
            let later = &STATE_OF_NOTICE_TYPE[index + 1..];
            assert!(
                !later
                    .iter()
                    .any(|(other, _)| other.eq_ignore_ascii_case(name)),
                "{name}"
            );
        }
    }
}
