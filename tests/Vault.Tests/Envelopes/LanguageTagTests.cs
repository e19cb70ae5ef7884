using SecureDialogue.Vault.Envelopes;

namespace SecureDialogue.Vault.Tests.Envelopes;

public sealed class LanguageTagTests
{
    [Theory]
    [InlineData("ar", true, true)]
    [InlineData("zh-Hans", true, false)]
    [InlineData("en", true, false)]
    [InlineData("fr-CA", true, false)]
    [InlineData("ru", true, false)]
    [InlineData("es-419", true, false)]
    [InlineData("pt-BR", false, false)]
    public void TryParse_WellFormedTags_WorkingLanguageAndDirection(string text, bool working, bool rtl)
    {
        Assert.True(LanguageTag.TryParse(text, out var tag));
        Assert.Equal(text.ToLowerInvariant(), tag.Value);
        Assert.Equal(working, tag.IsWorkingLanguage);
        Assert.Equal(rtl, tag.IsRightToLeft);
    }

    [Theory]
    [InlineData("")]
    [InlineData("e")]
    [InlineData("english")]
    [InlineData("en_US")]
    [InlineData("en--US")]
    [InlineData("ar-")]
    [InlineData("ع")]
    public void TryParse_MalformedTags_Refused(string text) => Assert.False(LanguageTag.TryParse(text, out _));
}
