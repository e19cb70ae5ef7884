using System.Net.Http.Json;
using SecureDialogue.Contracts;
using SecureDialogue.Vault.Archive;
using SecureDialogue.Vault.Merkle;

namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>
/// Checks served statements (trust, disclosure policy) as a client does (docs/protocol.md 16.7): each carries an archive
/// index, and the entry rebuilt from what was served (review, index, kind, stored time, statement bytes) is exactly the
/// log's entry at that index, with its leaf hash.
/// </summary>
internal static class ArchivedStatements
{
    public static async Task AssertRecomputeAsync(Participant reader, Guid review, ArchiveEntryKind kind, IEnumerable<(long? Index, DateTimeOffset StoredAt, byte[] Statement)> served)
    {
        var page = (await reader.Http.GetFromJsonAsync<ArchiveEntryPage>(HttpRoutes.ArchiveOf(HttpRoutes.ArchiveEntries, review) + "?start=0&limit=500"))!;
        var items = page.Items.ToDictionary(i => i.Index);
        var count = 0;
        foreach (var (index, storedAt, statement) in served)
        {
            Assert.NotNull(index);
            var logged = items[index.Value];
            var rebuilt = ArchiveEntry.Create(review, index.Value, kind, storedAt, statement).Encode();
            Assert.Equal(logged.Entry, rebuilt);
            Assert.Equal(logged.LeafHash, MerkleHash.Leaf(rebuilt));
            count++;
        }

        Assert.True(count > 0, "no statement served");
    }
}
