using System.Text;
using SecureDialogue.Vault.Envelopes;
using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Vault.Tests.Publication;

/// <summary>What a record must not reveal about the segments the publisher withheld.</summary>
public sealed class PublicationConfidentialityTests : IDisposable
{
    private readonly PublicationFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Build_WithheldSegment_NeitherItsTextNorItsSaltIsInTheRecord()
    {
        // Arrange
        var bytes = _f.Genuine().Encoded.ToArray();
        var withheldSalt = _f.Item.SegmentSalt(1);

        // Act / Assert: the disclosed text is there (the search works), the withheld one and its salt are not.
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(PublicationFixture.PublicText)) >= 0);
        Assert.True(bytes.AsSpan().IndexOf(_f.Item.SegmentSalt(0)) >= 0);
        Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes("Oui")) < 0);
        Assert.True(bytes.AsSpan().IndexOf(withheldSalt) < 0);
        Assert.True(bytes.AsSpan().IndexOf(_f.Item.Envelope.Ciphertext.Span[..32]) < 0);
    }

    [Fact]
    public void Build_ShortWithheldText_DictionaryAttackWithoutTheSaltFails()
    {
        // Arrange: a dictionary that contains the withheld answer, and every 32-byte value in the record (disclosed
        // salts, hashes, keys, signatures) or an all-zero value tried as its salt.
        var record = _f.Genuine();
        var bytes = record.Encoded.ToArray();
        string[] dictionary = ["Oui", "Non", "oui", "non", "Yes", "No", "Peut-être", ""];
        var target = record.Commitments[1];
        var candidates = Enumerable.Range(0, bytes.Length - 31).Select(i => bytes.AsSpan(i, 32).ToArray()).Append(new byte[32]);

        // Act
        var found = candidates.Any(salt => dictionary.Any(word =>
            SegmentCommitments.LeafHash(1, SegmentKind.Text, salt, Encoding.UTF8.GetBytes(word)).AsSpan().SequenceEqual(target)));

        // Assert: not found, while the same search with the real salt finds it (the attack itself works).
        Assert.False(found);
        Assert.Contains(dictionary, word =>
            SegmentCommitments.LeafHash(1, SegmentKind.Text, _f.Item.SegmentSalt(1), Encoding.UTF8.GetBytes(word)).AsSpan().SequenceEqual(target));
    }

    [Fact]
    public void Build_DisclosedSalts_AreThoseOfTheirSegmentsOnly()
    {
        var record = _f.Genuine();

        Assert.All(record.Disclosed, d => Assert.Equal(_f.Item.SegmentSalt(d.Index), d.Salt.ToArray()));
        Assert.DoesNotContain(record.Disclosed, d => d.Index == 1);
    }
}
