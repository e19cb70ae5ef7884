namespace SecureDialogue.Vault.Envelopes;

/// <summary>What an envelope carries, in the mechanism's words (P&amp;R 34-36). Unknown values are rejected.</summary>
public enum ItemKind : byte
{
    /// <summary>A message of the constructive dialogue.</summary>
    DialogueMessage = 1,

    /// <summary>A response to the self-assessment questionnaire.</summary>
    QuestionnaireResponse = 2,

    /// <summary>Written feedback of a reviewing State.</summary>
    WrittenFeedback = 3,

    /// <summary>A request for clarification.</summary>
    RequestForClarification = 4,

    /// <summary>An answer to a request for clarification.</summary>
    Clarification = 5,

    /// <summary>A draft of the list of observations.</summary>
    ListOfObservations = 6,

    /// <summary>A document shared in the review (the file travels separately, encrypted).</summary>
    Document = 7,

    /// <summary>A record of a dialogue held by other means (calls, visits; P&amp;R 36).</summary>
    RecordOfOtherDialogue = 8,
}

internal static class ItemKinds
{
    public static bool IsDefined(byte value) => value is >= 1 and <= 8;
}
