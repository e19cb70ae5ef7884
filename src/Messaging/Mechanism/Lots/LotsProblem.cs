namespace SecureDialogue.Messaging.Mechanism.Lots;

/// <summary>What is wrong with a row of a drawing-of-lots file. Each kind has a message in the six languages.</summary>
internal enum LotsProblemKind
{
    /// <summary>The file is not readable CSV (<see cref="LotsProblem.Value"/> says why).</summary>
    NotCsv = 1,

    /// <summary>A required column is missing from the header (<see cref="LotsProblem.Column"/>).</summary>
    MissingColumn,

    /// <summary>The group is not 1, 2 or 3 (P&amp;R 17).</summary>
    InvalidGroup,

    /// <summary>The code is not a State party known to the registry.</summary>
    UnknownState,

    /// <summary>A State would review itself.</summary>
    SelfReview,

    /// <summary>Not a list of instrument codes.</summary>
    InvalidInstruments,

    /// <summary>The State under review is not party to an instrument listed for it.</summary>
    ReviewedNotParty,

    /// <summary>The reviewing State is not party to an instrument it would review (P&amp;R 28 (b)).</summary>
    ReviewerNotParty,

    /// <summary>Not one to three distinct working languages (P&amp;R 49-50).</summary>
    InvalidLanguages,

    /// <summary>Not a date in the form yyyy-mm-dd.</summary>
    InvalidDate,

    /// <summary>The same pair appears twice.</summary>
    DuplicatePair,

    /// <summary>Group, languages or start date differ from the review's first row.</summary>
    InconsistentReview,

    /// <summary>The reviewing State is itself reviewed by the State under review (P&amp;R 28 (a)).</summary>
    MutualReview,

    /// <summary>No reviewing State from the regional group of the State under review (P&amp;R 28).</summary>
    NoReviewerFromOwnGroup,

    /// <summary>No reviewing State from another regional group (P&amp;R 28).</summary>
    NoReviewerFromOtherGroup,

    /// <summary>More than four reviewing States (P&amp;R 28 (c)).</summary>
    TooManyReviewers,

    /// <summary>An instrument of the State under review has fewer than two reviewing States (P&amp;R 26).</summary>
    InstrumentUnderReviewed,

    /// <summary>The State already has a review.</summary>
    AlreadyUnderReview,
}

/// <summary>One problem at a line of the file (0 for the file as a whole), with the column and the value concerned (the values a message names).</summary>
internal sealed record LotsProblem(int Line, string Column, LotsProblemKind Kind, string Value);
