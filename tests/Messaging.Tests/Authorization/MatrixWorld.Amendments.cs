using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Amendments;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Authorization;

public sealed partial class MatrixWorld
{
    /// <summary>
    /// Posts, as <paramref name="role"/>, the retraction its device signs of an envelope it sent just before (sent by the
    /// focal point when the role may not post: the cell is then refused before any author check).
    /// </summary>
    public async Task<HttpResponseMessage> PostRetractionAsync(MatrixRole role, string channel)
    {
        var author = Caller(role) ?? Review.Carol;
        var encoded = Seal(author, channel);
        using var sent = await author.Http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(ReviewId, channel), new SendEnvelope(ReviewId, channel, encoded));
        long sequence;
        if (sent.IsSuccessStatusCode)
        {
            sequence = (await sent.Content.ReadFromJsonAsync<SendAck>())!.Sequence;
        }
        else
        {
            encoded = Seal(Review.Carol, channel);
            using var byCarol = await Review.Carol.Http.PostAsJsonAsync(HttpRoutes.EnvelopesOf(ReviewId, channel), new SendEnvelope(ReviewId, channel, encoded));
            sequence = (await byCarol.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<SendAck>())!.Sequence;
        }

        var statement = AmendmentCodec.SignRetraction(Envelope.Decode(encoded).Value!, author.Device, DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        return await Http(role).PostAsJsonAsync(AmendmentRoutes.AmendmentsOf(ReviewId, channel), new SubmitAmendment(statement.Encoded, sequence, null));
    }
}
