using SecureDialogue.Contracts;

namespace SecureDialogue.Messaging.Hosting;

/// <summary>Gives every problem a stable <see cref="ProblemTypes"/> type, including those the framework writes.</summary>
internal static class ProblemDetailsDefaults
{
    public static void Customize(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type is { } type && type.StartsWith(ProblemTypes.Prefix, StringComparison.Ordinal))
        {
            return;
        }

        var status = problem.Status ?? context.HttpContext.Response.StatusCode;
        var takesEnvelopes = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<TakesEnvelopesMetadata>() is not null;
        problem.Type = status switch
        {
            StatusCodes.Status400BadRequest when takesEnvelopes => ProblemTypes.MalformedEnvelope,
            StatusCodes.Status413PayloadTooLarge when takesEnvelopes => ProblemTypes.MalformedEnvelope,
            StatusCodes.Status400BadRequest => ProblemTypes.BadRequest,
            StatusCodes.Status401Unauthorized => ProblemTypes.Unauthorized,
            StatusCodes.Status403Forbidden => ProblemTypes.Forbidden,
            StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed => ProblemTypes.NotFound,
            StatusCodes.Status413PayloadTooLarge => ProblemTypes.TooLarge,
            < 500 => ProblemTypes.BadRequest,
            _ => "about:blank",
        };
    }
}

/// <summary>Marks an endpoint whose body is an envelope: an unreadable or oversized body there is a malformed envelope.</summary>
internal sealed class TakesEnvelopesMetadata
{
    public static TakesEnvelopesMetadata Instance { get; } = new();
}
