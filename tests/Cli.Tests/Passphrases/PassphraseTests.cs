using SecureDialogue.Cli.Passphrases;

namespace SecureDialogue.Cli.Tests.Passphrases;

public sealed class PassphraseTests
{
    [Fact]
    public void ToString_NeverRevealsTheCharacters()
    {
        // Arrange
        using var passphrase = Passphrase.CopyOf("hunter2hunter2");

        // Act
        var text = passphrase.ToString();

        // Assert
        Assert.Equal("Passphrase", text);
    }

    [Fact]
    public void Dispose_WipesTheCharacters()
    {
        // Arrange
        var passphrase = Passphrase.CopyOf("hunter2hunter2");

        // Act
        passphrase.Dispose();

        // Assert
        Assert.All(passphrase.Chars.ToArray(), c => Assert.Equal('\0', c));
    }

    [Theory]
    [InlineData("same", "same", true)]
    [InlineData("same", "Same", false)]
    [InlineData("same", "same ", false)]
    public void FixedTimeEquals_ComparesContent(string a, string b, bool expected)
    {
        // Arrange
        using var first = Passphrase.CopyOf(a);
        using var second = Passphrase.CopyOf(b);

        // Act
        var equal = first.FixedTimeEquals(second);

        // Assert
        Assert.Equal(expected, equal);
    }
}
