using System.Net.Http.Headers;
using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Channels;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// Builds publication records of stored items the way a client does: the item opened with a reader's keys, its archive
/// entry proven against a checkpoint the publisher verified and cosigned, the record signed by the publisher's device.
/// </summary>
internal static class PublicationRecords
{
    /// <summary>The keys of <paramref name="reader"/> for the review's dialogue, from the first <paramref name="epochs"/> stored epoch records (default all).</summary>
    public static async Task<ChannelKeyring> DialogueKeyringAsync(Participant reader, Guid reviewId, DeviceId genesisAuthor, int epochs = int.MaxValue)
    {
        var chain = new EpochChain(reviewId, ChannelId.Dialogue, [genesisAuthor]);
        var keyring = new ChannelKeyring(reader.Device, chain);
        var records = await reader.Http.GetFromJsonAsync<List<EpochRecordEntry>>(HttpRoutes.EpochsOf(reviewId, "dialogue"));
        foreach (var entry in records!.Take(epochs))
        {
            var record = chain.Accept(entry.Record);
            Assert.True(record.IsSuccess, record.ToString());
            Assert.True(keyring.Unlock(record.Value!).IsSuccess);
        }

        return keyring;
    }

    /// <summary>A record of the dialogue item at <paramref name="sequence"/> disclosing <paramref name="disclose"/>.</summary>
    public static async Task<PublicationRecord> BuildAsync(
        Participant reader, ChannelKeyring keyring, Participant publisher, Guid reviewId, long sequence, int[] disclose,
        PublicationAudience audience, string authorState, string publisherState, IReadOnlyDictionary<int, byte[]>? documents = null)
    {
        var page = (await reader.Http.GetFromJsonAsync<EnvelopePage>(HttpRoutes.EnvelopesOf(reviewId, "dialogue") + $"?after={sequence - 1}&limit=1"))!;
        var stored = page.Items.Single(i => i.Sequence == sequence);
        var opened = EnvelopeOpener.Open(stored.Envelope, keyring).Value!;
        // The log's form, as served (docs/protocol.md 16.2.1): the summary in a log created since migration 0011.
        var payload = stored.ArchiveForm == 1 ? EnvelopeSummary.Of(opened.Envelope).Encode() : stored.Envelope;
        var entry = ArchiveEntry.Create(reviewId, stored.ArchiveIndex!.Value, ArchiveEntryKind.Envelope, stored.StoredAt, payload);

        var keys = await publisher.Http.GetFromJsonAsync<ArchiveKeys>(HttpRoutes.ArchiveKeys);
        var ring = new ArchiveKeyRing(keys!.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!));
        var latest = await publisher.Http.GetFromJsonAsync<ArchiveCheckpoint>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, reviewId));
        var view = new LogView(reviewId, ring, TimeProvider.System);
        Assert.True(view.Update(SignedCheckpoint.Parse(latest!.Checkpoint).Value!, []).IsSuccess);
        var cosigned = view.Cosign(publisher.Device).Value!;
        var proofs = await publisher.Http.GetFromJsonAsync<ArchiveInclusionProofs>(
            HttpRoutes.ArchiveOf(HttpRoutes.ArchiveInclusion, reviewId) + $"?size={cosigned.TreeSize}&index={entry.Index}");

        var builder = new PublicationBuilder(opened)
        {
            Audience = audience,
            AuthorState = StateCode.Parse(authorState),
            PublisherState = StateCode.Parse(publisherState),
        };
        foreach (var index in disclose)
        {
            builder.Disclose(index);
        }

        foreach (var (segment, document) in documents ?? new Dictionary<int, byte[]>())
        {
            builder.AddDocument(segment, document);
        }

        return builder.WithArchive(entry, [.. proofs!.Proofs.Single().Proof], cosigned, [publisher.Device.PublicKeys]).Build(publisher.Device, TimeProvider.System.GetUtcNow());
    }

    /// <summary>POSTs a record's bytes to the review's publications with <paramref name="http"/>.</summary>
    public static Task<HttpResponseMessage> PostAsync(HttpClient http, Guid reviewId, ReadOnlyMemory<byte> record)
    {
        var content = new ByteArrayContent(record.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue(PublicationRoutes.MediaType);
        return http.PostAsync(PublicationRoutes.PublicationsOf(reviewId), content);
    }
}
