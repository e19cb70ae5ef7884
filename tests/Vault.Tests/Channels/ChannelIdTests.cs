using SecureDialogue.Vault.Channels;
using Xunit;

namespace SecureDialogue.Vault.Tests.Channels;

public sealed class ChannelIdTests
{
    [Theory]
    [InlineData("dialogue")]
    [InlineData("reviewers")]
    [InlineData("a")]
    [InlineData("0-9")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void TryParse_AllowedName_Succeeds(string name)
    {
        // Arrange
        var text = name;

        // Act
        var ok = ChannelId.TryParse(text, out var channel);

        // Assert
        Assert.True(ok);
        Assert.Equal(name, channel.Value);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Dialogue")]
    [InlineData("dia logue")]
    [InlineData("dia_logue")]
    [InlineData("dialogué")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("dialogue\u0000")]
    [InlineData("\u0164")]
    public void TryParse_NameOutsideAlphabetOrLength_Fails(string? name)
    {
        // Arrange
        var text = name;

        // Act
        var ok = ChannelId.TryParse(text, out _);

        // Assert
        Assert.False(ok);
    }
}
