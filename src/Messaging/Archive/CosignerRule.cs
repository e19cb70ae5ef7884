using SecureDialogue.Messaging.Reviews;

namespace SecureDialogue.Messaging.Archive;

/// <summary>
/// Who may cosign a review's checkpoints. Issue 5 (until roles exist): any member of a State in the review (experts,
/// focal points, observers of a State; not the secretariat). Issue 6 restricts it to focal points: change
/// <see cref="MayCosign"/> here only (docs/server.md "Archive", "Cosignatures").
/// </summary>
internal static class CosignerRule
{
    /// <summary>True when <paramref name="membership"/> may submit cosignatures.</summary>
    public static bool MayCosign(Membership membership) => membership.StateCode is not null;
}
