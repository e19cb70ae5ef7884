using SecureDialogue.Vault.Publication;

namespace SecureDialogue.Vault.Tests.Publication;

public sealed class PublicationBuilderTests : IDisposable
{
    private readonly PublicationFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Build_NothingDisclosed_Throws() =>
        Assert.Throws<InvalidOperationException>(() => _f.Builder(_f.Item, _f.ItemIndex).Build(_f.FocalPoint, PublicationFixture.PublishedAt));

    [Fact]
    public void Build_NoAudience_Throws()
    {
        var builder = _f.Builder(_f.Item, _f.ItemIndex).Disclose(0);
        builder.Audience = PublicationAudience.None;
        Assert.Throws<InvalidOperationException>(() => builder.Build(_f.FocalPoint, PublicationFixture.PublishedAt));
    }

    [Fact]
    public void Build_ProofOfAnotherEntry_Throws() =>
        Assert.Throws<ArgumentException>(() => new PublicationBuilder(_f.Item)
        {
            Audience = PublicationAudience.Public,
            AuthorState = StateCode.Parse("DEU"),
            PublisherState = StateCode.Parse("FRA"),
        }.WithArchive(_f.ItemIndex, PublicationFixture.ReceivedAt, _f.Proof(_f.OtherIndex), _f.Checkpoint, [_f.FocalPoint.PublicKeys]).Disclose(0).Build(_f.FocalPoint, PublicationFixture.PublishedAt));

    [Fact]
    public void Build_DisclosedDocumentWithoutItsFile_Throws() =>
        Assert.Throws<InvalidOperationException>(() => _f.Builder(_f.DocumentItem, _f.DocumentIndex).DiscloseAll().Build(_f.FocalPoint, PublicationFixture.PublishedAt));

    [Fact]
    public void Build_DocumentThatIsNotTheFile_Throws()
    {
        var wrong = _f.Document.ToArray();
        wrong[0] ^= 1;
        Assert.Throws<ArgumentException>(() =>
            _f.Builder(_f.DocumentItem, _f.DocumentIndex).DiscloseAll().AddDocument(1, wrong).Build(_f.FocalPoint, PublicationFixture.PublishedAt));
    }

    [Fact]
    public void Build_DocumentSegmentWithheld_RecordHasNoDocumentAndVerifies()
    {
        var record = _f.Builder(_f.DocumentItem, _f.DocumentIndex).Disclose(0).Build(_f.FocalPoint, PublicationFixture.PublishedAt);

        Assert.Empty(record.Documents);
        Assert.True(PublicationVerifier.Verify(record.Encoded.Span, _f.Trust).IsValid);
    }

    [Theory]
    [InlineData("fra")]
    [InlineData("FR")]
    [InlineData("FRAN")]
    [InlineData("F1A")]
    public void StateCode_NotThreeUpperCaseLetters_Refused(string text) => Assert.False(StateCode.TryParse(text, out _));
}
