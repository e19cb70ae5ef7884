using SecureDialogue.Contracts;
using SecureDialogue.Vault;

namespace SecureDialogue.Cli.Session;

/// <summary>
/// Resolves the REVIEW a command names: a review id, a unique prefix of one (at least 4 hex digits) among the
/// account's reviews, or nothing when the account takes part in exactly one review.
/// </summary>
internal static class ReviewSelector
{
    private const int MinimumPrefix = 4;

    public static async Task<Result<Guid, CommandFailure>> ResolveAsync(ServerConnection connection, string? review, CancellationToken cancellationToken)
    {
        if (review is not null && Guid.TryParse(review, out var id))
        {
            return id;
        }

        if (review is not null && (review.Length < MinimumPrefix || !review.All(c => char.IsAsciiHexDigit(c) || c == '-')))
        {
            return new CommandFailure(ExitCodes.Usage, $"'{review}' is not a review id (see 'sdlg reviews list')");
        }

        var listed = await connection.Api.ListReviewsAsync(cancellationToken).ConfigureAwait(false);
        if (!listed.TryGetValue(out var reviews, out var error))
        {
            return connection.Failure(error, "list your reviews");
        }

        if (review is null)
        {
            return reviews.Count switch
            {
                1 => reviews[0].ReviewId,
                0 => new CommandFailure(ExitCodes.Refused, "you take part in no review yet (the secretariat adds members when it creates a review)"),
                _ => new CommandFailure(ExitCodes.Usage, $"you take part in {reviews.Count} reviews: name one with --review ID (see 'sdlg reviews list')"),
            };
        }

        List<ReviewSummary> matches = [.. reviews.Where(r => r.ReviewId.ToString("D").StartsWith(review, StringComparison.OrdinalIgnoreCase))];
        return matches.Count switch
        {
            1 => matches[0].ReviewId,
            0 => new CommandFailure(ExitCodes.Refused, $"no review of yours starts with '{review}' (see 'sdlg reviews list')"),
            _ => new CommandFailure(ExitCodes.Usage, $"'{review}' matches {matches.Count} reviews: give more of the id"),
        };
    }
}
