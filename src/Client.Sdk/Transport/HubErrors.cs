using Microsoft.AspNetCore.SignalR;
using SecureDialogue.Client.Api;
using SecureDialogue.Contracts;

namespace SecureDialogue.Client.Transport;

/// <summary>
/// Maps a hub error to an <see cref="ApiError"/>. The server's <see cref="HubException"/> message is short and
/// stable; it is recognised when it contains a <see cref="ProblemTypes"/> URI or its last segment
/// (e.g. <c>stale-epoch</c>).
/// </summary>
internal static class HubErrors
{
    private static readonly (string Type, int Status)[] s_known =
    [
        (ProblemTypes.StaleEpoch, 409), (ProblemTypes.ReplayedCounter, 409), (ProblemTypes.EpochConflict, 409),
        (ProblemTypes.MalformedEnvelope, 400), (ProblemTypes.InvalidSignature, 400), (ProblemTypes.WrongContext, 400),
        (ProblemTypes.BadRequest, 400), (ProblemTypes.Forbidden, 403), (ProblemTypes.NotFound, 404),
    ];

    public static ApiError From(HubException exception)
    {
        var message = exception.Message;
        foreach (var (type, status) in s_known)
        {
            var slug = type[ProblemTypes.Prefix.Length..];
            if (message.Contains(slug, StringComparison.OrdinalIgnoreCase))
            {
                return new ApiError(status, type, slug, Trim(message));
            }
        }

        return new ApiError(400, ApiError.UnexpectedResponse, "Hub error", Trim(message));
    }

    private static string Trim(string message) => message.Length <= 200 ? message : message[..200];
}
