namespace SecureDialogue.Vault.Archive;

/// <summary>Checkpoint origins of review logs: <c>securedialogue.invalid/review/&lt;uuid, lower case&gt;</c>.</summary>
public static class ArchiveOrigin
{
    /// <summary>Prefix of every review log's origin.</summary>
    public const string ReviewPrefix = "securedialogue.invalid/review/";

    /// <summary>The origin of <paramref name="review"/>'s log.</summary>
    public static string ForReview(Guid review) => ReviewPrefix + review.ToString("D");

    /// <summary>The review of a review log's origin.</summary>
    public static bool TryParseReview(string origin, out Guid review)
    {
        review = Guid.Empty;
        return origin is not null && origin.StartsWith(ReviewPrefix, StringComparison.Ordinal) &&
               origin.Length == ReviewPrefix.Length + 36 &&
               Guid.TryParseExact(origin.AsSpan(ReviewPrefix.Length), "D", out review) &&
               string.Equals(ForReview(review), origin, StringComparison.Ordinal);
    }
}
