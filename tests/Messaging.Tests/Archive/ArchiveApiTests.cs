using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using SecureDialogue.Contracts;
using SecureDialogue.Messaging.Archive;
using SecureDialogue.Messaging.Tests.Infrastructure;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Messaging.Tests.Archive;

/// <summary>
/// The archive log through the real server (SQLite): every event of a scripted dialogue is an entry, in order;
/// checkpoints verify with the served key and the entries recompute to the signed root; proofs verify; members see
/// the entries of the channels they read; cosignatures are checked and archived; the schedule signs checkpoints.
/// </summary>
public sealed class ArchiveApiTests : IAsyncLifetime
{
    private static readonly System.Text.Json.JsonSerializerOptions s_json = new(System.Text.Json.JsonSerializerDefaults.Web);
    private MessagingHost _host = null!;
    private ReviewScenario _review = null!;

    public async Task InitializeAsync()
    {
        _host = await MessagingHost.StartAsync(Engine.Sqlite, settings: new Dictionary<string, string?>
        {
            ["Archive:CheckpointEveryEntries"] = "4",
            ["Archive:CheckpointInterval"] = "01:00:00",
            ["Archive:RefreshInterval"] = "12:00:00",
        });
        _review = await ReviewScenario.CreateAsync(_host);
    }

    public async Task DisposeAsync()
    {
        _review.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Log_AfterAScriptedDialogue_HoldsEveryEventInOrderAndRecomputesToTheSignedRoot()
    {
        // Arrange: the review's creation and its two genesis records are entries 0 to 2; then four envelopes.
        var sent = new List<(string Channel, byte[] Envelope)>();
        for (var i = 1; i <= 3; i++)
        {
            sent.Add(("dialogue", await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, (ulong)i)));
        }

        sent.Add(("reviewers", await SendAsync(_review.Bob, "reviewers", _review.ReviewersKey!, 1)));
        var view = await ViewAsync(_review.Bob);

        // Act
        var checkpoint = await GetAsync<ArchiveCheckpoint>(_review.Bob, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId) + "?size=7");
        var first = view.Update(SignedCheckpoint.Parse(checkpoint.Checkpoint).Value!, []);
        var page = await GetAsync<ArchiveEntryPage>(_review.Bob, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));
        var verified = view.VerifyEntries(page.Items.Take((int)view.Current!.TreeSize).Select(i => (ReadOnlyMemory<byte>)i.Entry!), view.Current!.TreeSize);

        // Assert: the kinds in order, each envelope's bytes, the page's archive indexes, and the signed root.
        Assert.True(first.IsSuccess, first.ToString());
        Assert.True(verified.IsSuccess, verified.ToString());
        var entries = page.Items.Select(i => ArchiveEntry.Decode(i.Entry).Value!).ToList();
        Assert.Equal(
            [ArchiveEntryKind.MembershipChange, ArchiveEntryKind.EpochRecord, ArchiveEntryKind.EpochRecord,
             ArchiveEntryKind.Envelope, ArchiveEntryKind.Envelope, ArchiveEntryKind.Envelope, ArchiveEntryKind.Envelope],
            entries.Take(7).Select(e => e.Kind));
        // A review created now logs each envelope by its summary (16.2.1): no ciphertext byte in the log's entries.
        Assert.Equal(sent.Select(s => EnvelopeSummary.Of(Envelope.Decode(s.Envelope).Value!).Encode()), entries.Skip(3).Take(4).Select(e => e.Payload.ToArray()));
        Assert.All(sent, s => Assert.DoesNotContain(page.Items, i => i.Entry is { } e && e.AsSpan().IndexOf(Envelope.Decode(s.Envelope).Value!.Ciphertext.Span[..64]) >= 0));
        Assert.Contains("\"event\":\"review-created\"", System.Text.Encoding.UTF8.GetString(entries[0].Payload.Span), StringComparison.Ordinal);
        var dialogue = await _review.PageAsync(_review.Alice, "dialogue");
        Assert.Equal([3L, 4L, 5L], dialogue.Items.Select(i => i.ArchiveIndex!.Value!));
        Assert.All(dialogue.Items, i => Assert.Equal(entries[(int)i.ArchiveIndex!.Value].ReceivedAt, i.StoredAt));
        Assert.All(dialogue.Items, i => Assert.Equal(1, i.ArchiveForm));
    }

    [Fact]
    public async Task InclusionAndConsistencyProofs_FromTheApi_VerifyAgainstSignedCheckpoints()
    {
        // Arrange
        await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, 1);
        var view = await ViewAsync(_review.Alice);
        var firstCheckpoint = await GetAsync<ArchiveCheckpoint>(_review.Alice, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId) + "?size=4");
        Assert.True(view.Update(SignedCheckpoint.Parse(firstCheckpoint.Checkpoint).Value!, []).IsSuccess);
        var oldSize = view.Current!.TreeSize;
        for (var i = 2; i <= 6; i++)
        {
            await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, (ulong)i);
        }

        // Act: a newer checkpoint with the consistency proof from the stored one, then inclusion of every entry.
        var latest = SignedCheckpoint.Parse((await GetAsync<ArchiveCheckpoint>(_review.Alice,
            HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId) + "?size=9")).Checkpoint).Value!;
        var consistency = await GetAsync<ArchiveConsistencyProof>(_review.Alice,
            HttpRoutes.ArchiveOf(HttpRoutes.ArchiveConsistency, _review.ReviewId) + $"?from={oldSize}&to={latest.TreeSize}");
        var update = view.Update(latest, consistency.Proof.ToList());
        var size = view.Current!.TreeSize;
        var indexes = string.Join('&', Enumerable.Range(0, (int)size).Select(i => $"index={i}"));
        var proofs = await GetAsync<ArchiveInclusionProofs>(_review.Alice, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveInclusion, _review.ReviewId) + $"?size={size}&{indexes}");
        var page = await GetAsync<ArchiveEntryPage>(_review.Alice, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));

        // Assert: advanced; every entry Alice may see verifies by inclusion; the withheld one (reviewers' record) is a leaf hash only.
        Assert.Equal(CheckpointUpdate.Advanced, update.Value!);
        Assert.Equal(size, proofs.Proofs.Count);
        foreach (var item in page.Items.Where(i => i.Index < size))
        {
            var proof = proofs.Proofs.Single(p => p.Index == item.Index);
            Assert.Equal(item.LeafHash, proof.LeafHash);
            if (item.Entry is null)
            {
                Assert.Equal((int)ArchiveEntryKind.EpochRecord, item.Kind);
                Assert.True(Vault.Merkle.MerkleProofs.VerifyInclusion(item.LeafHash, item.Index, size, view.Current!.RootHash, proof.Proof.ToList()));
                continue;
            }

            Assert.True(view.VerifyEntry(item.Entry, size, proof.Proof.ToList()).IsSuccess);
        }

        Assert.Single(page.Items, i => i.Entry is null);
    }

    [Fact]
    public async Task RangeProofs_FromTheApi_VerifyRunsOfEntriesAgainstTheSignedCheckpoint()
    {
        // Arrange: entries 3..7 are Alice's dialogue envelopes.
        for (var i = 1; i <= 5; i++)
        {
            await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, (ulong)i);
        }

        var view = await ViewAsync(_review.Alice);
        var checkpoint = SignedCheckpoint.Parse((await GetAsync<ArchiveCheckpoint>(_review.Alice,
            HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId) + "?size=8")).Checkpoint).Value!;
        Assert.True(view.Update(checkpoint, []).IsSuccess);
        var size = view.Current!.TreeSize;
        var page = await GetAsync<ArchiveEntryPage>(_review.Alice, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));
        var range = HttpRoutes.ArchiveOf(HttpRoutes.ArchiveRange, _review.ReviewId);

        // Act
        var run = await GetAsync<ArchiveRangeProof>(_review.Alice, $"{range}?size={size}&start=3&end=8");
        var whole = await GetAsync<ArchiveRangeProof>(_review.Alice, $"{range}?size={size}&start=0&end={size}");

        // Assert: the run verifies as entries; the whole tree needs no hash; the leaf hashes of all entries (withheld ones
        // included) recompute the root.
        Assert.Equal((size, 3L, 8L), (run.TreeSize, run.Start, run.End));
        var entries = page.Items.Where(i => i.Index is >= 3 and < 8).Select(i => (ReadOnlyMemory<byte>)i.Entry!).ToList();
        Assert.Equal([3L, 4, 5, 6, 7], view.VerifyRange(entries, size, [.. run.Proof]).Value!.Select(e => e.Index));
        Assert.Empty(whole.Proof);
        Assert.Equal(Vault.Merkle.MerkleRangeError.None,
            Vault.Merkle.MerkleRangeProofs.Verify([.. page.Items.Where(i => i.Index < size).Select(i => i.LeafHash)], 0, size, view.Current.RootHash, []));
        foreach (var query in new[] { $"{range}?size={size}&start=3", $"{range}?size={size}&start=3&end=3", $"{range}?size={size}&start=-1&end=2",
                     $"{range}?size={size}&start=0&end={size + 1}", $"{range}?size={size + 99}&start=0&end=1", $"{range}?size=0&start=0&end=1" })
        {
            using var response = await _review.Alice.Http.GetAsync(query);
            await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        }
    }

    [Fact]
    public async Task Entries_ForTheSecretariat_OnlyReviewWideEntriesInFull()
    {
        // Arrange
        await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, 1);

        // Act
        var page = await GetAsync<ArchiveEntryPage>(_review.Secretariat, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));

        // Assert: metadata only: the review's creation in full, the channels' records and envelopes as leaf hashes.
        Assert.Equal(4, page.Items.Count);
        Assert.NotNull(page.Items[0].Entry);
        Assert.All(page.Items.Skip(1), i => Assert.Null(i.Entry));
        Assert.All(page.Items, i => Assert.Equal(32, i.LeafHash.Length));
    }

    [Fact]
    public async Task Envelope_RetriedAfterItsAck_IsLoggedOnce()
    {
        // Arrange
        var envelope = ReviewScenario.Seal(_review.Alice, _review.DialogueKey!, 1).Encoded.ToArray();
        using (var response = await _review.PostEnvelopeAsync(_review.Alice, "dialogue", envelope))
        {
            response.EnsureSuccessStatusCode();
        }

        // Act
        using var retry = await _review.PostEnvelopeAsync(_review.Alice, "dialogue", envelope);
        var page = await GetAsync<ArchiveEntryPage>(_review.Alice, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));

        // Assert
        Assert.True((await retry.Content.ReadFromJsonAsync<SendAck>())!.Duplicate);
        Assert.Single(page.Items, i => i.Kind == (int)ArchiveEntryKind.Envelope);
        Assert.Equal(4, page.Size);
    }

    [Fact]
    public async Task Cosignature_ByAFocalPointsDevice_VerifiedAndArchivedOnce()
    {
        // Arrange: Carol (focal point of KEN) verifies the latest checkpoint and cosigns it.
        var view = await ViewAsync(_review.Carol);
        var latest = await GetAsync<ArchiveCheckpoint>(_review.Carol, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId));
        Assert.True(view.Update(SignedCheckpoint.Parse(latest.Checkpoint).Value!, []).IsSuccess);
        var cosigned = view.Cosign(_review.Carol.Device).Value!.Text;
        var route = HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCosignatures, _review.ReviewId);

        // Act
        using var response = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(cosigned));
        using var again = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(cosigned));
        var page = await GetAsync<ArchiveEntryPage>(_review.Carol, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));

        // Assert: archived as the next entry, whose payload is the cosigned note; a repeat returns the same entry.
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<CosignatureAccepted>())!;
        Assert.Equal(accepted, await again.Content.ReadFromJsonAsync<CosignatureAccepted>());
        Assert.Equal(_review.Carol.Device.Id.ToString(), accepted.DeviceId);
        var entry = ArchiveEntry.Decode(page.Items.Single(i => i.Index == accepted.Index).Entry).Value!;
        Assert.Equal(ArchiveEntryKind.Cosignature, entry.Kind);
        Assert.Equal(cosigned, System.Text.Encoding.UTF8.GetString(entry.Payload.Span));
        await using var scope = _host.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<ArchiveReader>().CosignaturesAsync(_review.ReviewId, default);
        Assert.Equal(accepted.Index, Assert.Single(stored).EntryIndex);
    }

    [Fact]
    public async Task Cosignature_ForgedUnsignedForeignOrNotByAFocalPoint_Refused()
    {
        // Arrange
        var view = await ViewAsync(_review.Carol);
        var latest = await GetAsync<ArchiveCheckpoint>(_review.Carol, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId));
        Assert.True(view.Update(SignedCheckpoint.Parse(latest.Checkpoint).Value!, []).IsSuccess);
        var byCarol = view.Cosign(_review.Carol.Device).Value!.Text;
        var byBob = view.Cosign(_review.Bob.Device).Value!.Text;
        var byAlice = view.Cosign(_review.Alice.Device).Value!.Text;
        var byMallory = view.Cosign(_review.Mallory.Device).Value!.Text;
        var tampered = byCarol[..^3] + (byCarol[^3] == 'A' ? "B" : "A") + byCarol[^2..];
        using var foreignLog = CheckpointSigner.Create();
        var foreign = foreignLog.Sign(ArchiveOrigin.ForReview(_review.ReviewId), view.Current!.TreeSize, view.Current!.RootHash, DateTimeOffset.UtcNow);
        var foreignView = new LogView(_review.ReviewId, new ArchiveKeyRing([foreignLog.LogKey()]), TimeProvider.System);
        Assert.True(foreignView.Update(foreign, []).IsSuccess);
        var foreignCosigned = foreignView.Cosign(_review.Carol.Device).Value!.Text;
        var route = HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCosignatures, _review.ReviewId);

        // Act and assert: the focal point sends another account's device, a bad signature, a checkpoint the log did not
        // sign, an unsigned body.
        using (var response = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(byMallory)))
        {
            await Problems.AssertAsync(response, (HttpStatusCode)422, ProblemTypes.InvalidCheckpoint);
        }

        using (var response = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(tampered)))
        {
            await Problems.AssertAsync(response, (HttpStatusCode)422, ProblemTypes.InvalidCheckpoint);
        }

        using (var response = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(foreignCosigned)))
        {
            await Problems.AssertAsync(response, (HttpStatusCode)422, ProblemTypes.InvalidCheckpoint);
        }

        using (var response = await _review.Carol.Http.PostAsJsonAsync(route, new CosignCheckpoint(SignedCheckpoint.FormatBody(ArchiveOrigin.ForReview(_review.ReviewId), 1, new byte[32]))))
        {
            await Problems.AssertAsync(response, (HttpStatusCode)422, ProblemTypes.InvalidCheckpoint);
        }

        // Members who are not a State's focal point (experts of a reviewing State and of the State under review, the
        // secretariat) may not cosign at all, even with a valid line of their own device.
        foreach (var (who, note) in new[] { (_review.Bob, byBob), (_review.Alice, byAlice), (_review.Secretariat, byCarol) })
        {
            using var response = await who.Http.PostAsJsonAsync(route, new CosignCheckpoint(note));
            await Problems.AssertAsync(response, HttpStatusCode.Forbidden, ProblemTypes.Forbidden);
        }

        var page = await GetAsync<ArchiveEntryPage>(_review.Carol, HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId));
        Assert.DoesNotContain(page.Items, i => i.Kind == (int)ArchiveEntryKind.Cosignature);
    }

    [Fact]
    public async Task Schedule_AfterEveryNEntries_SignsACheckpointUnasked()
    {
        // Arrange: N = 4 and T = 1 hour. A new log gets its first checkpoint at once (it had none); nobody asks for one here.
        await using var scope = _host.Services.CreateAsyncScope();
        var reader = scope.ServiceProvider.GetRequiredService<ArchiveReader>();
        var first = (await WaitForCheckpointAsync(reader, _ => true)).Max();

        // Act: four more entries.
        for (var i = 1; i <= 4; i++)
        {
            await SendAsync(_review.Alice, "dialogue", _review.DialogueKey!, (ulong)i);
        }

        var sizes = await WaitForCheckpointAsync(reader, size => size >= first + 4);

        // Assert: a checkpoint covering them was signed without a request, and none in between (fewer than N new entries).
        // It may cover one entry more than first + 4: the scheduler runs after the append that crossed N, and an entry the
        // set-up appended after the first checkpoint can put that crossing one send earlier.
        Assert.Contains(sizes, size => size >= first + 4);
        Assert.DoesNotContain(sizes, size => size > first && size < first + 4);
    }

    private async Task<List<long>> WaitForCheckpointAsync(ArchiveReader reader, Func<long, bool> wanted)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var sizes = (await reader.CheckpointsAsync(_review.ReviewId, default)).Select(n => SignedCheckpoint.Parse(n).Value!.TreeSize).ToList();
            if (sizes.Any(wanted) || DateTime.UtcNow > deadline)
            {
                return sizes;
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Proofs_WithSizesOutOfRange_BadRequest()
    {
        // Arrange
        var inclusion = HttpRoutes.ArchiveOf(HttpRoutes.ArchiveInclusion, _review.ReviewId);
        var consistency = HttpRoutes.ArchiveOf(HttpRoutes.ArchiveConsistency, _review.ReviewId);

        // Act and assert
        foreach (var query in new[] { $"{inclusion}?size=3", $"{inclusion}?size=99&index=0", $"{inclusion}?size=3&index=3", $"{inclusion}?size=0&index=0",
                     $"{consistency}?from=2&to=1", $"{consistency}?from=0&to=99", $"{HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, _review.ReviewId)}?limit=0" })
        {
            using var response = await _review.Alice.Http.GetAsync(query);
            await Problems.AssertAsync(response, HttpStatusCode.BadRequest, ProblemTypes.BadRequest);
        }

        using var notFound = await _review.Alice.Http.GetAsync(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveCheckpoint, _review.ReviewId) + "?size=99");
        await Problems.AssertAsync(notFound, HttpStatusCode.NotFound, ProblemTypes.NotFound);
    }

    [Fact]
    public void KeyFile_InTheDataDirectory_OwnerOnly()
    {
        // Arrange
        var path = Path.Combine(_host.DataDirectory, ArchiveOptions.DefaultKeyFileName);

        // Act and assert: 32 bytes, mode 0600.
        Assert.Equal(32, new FileInfo(path).Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
    }

    private async Task<LogView> ViewAsync(Participant who)
    {
        var keys = await GetAsync<ArchiveKeys>(who, HttpRoutes.ArchiveKeys);
        var ring = new ArchiveKeyRing(keys.Keys.Select(k => ArchiveLogKey.FromVerifierKey(k.VerifierKey, k.FirstTreeSize, k.LastTreeSize).Value!));
        return new LogView(_review.ReviewId, ring, TimeProvider.System);
    }

    private async Task<byte[]> SendAsync(Participant sender, string channel, Vault.Channels.EpochKey key, ulong counter)
    {
        var envelope = ReviewScenario.Seal(sender, key, counter).Encoded.ToArray();
        using var response = await _review.PostEnvelopeAsync(sender, channel, envelope);
        response.EnsureSuccessStatusCode();
        return envelope;
    }

    private static async Task<T> GetAsync<T>(Participant who, string route)
    {
        using var response = await who.Http.GetAsync(route);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{route}: {(int)response.StatusCode} {body}");
        return System.Text.Json.JsonSerializer.Deserialize<T>(body, s_json)!;
    }
}
