using SecureDialogue.Vault.Keys;
using SecureDialogue.Vault.Keys.Store;
using SecureDialogue.Vault.Primitives;

namespace SecureDialogue.Vault.Tests.Keys;

public sealed class KeyStoreEmptyPassphraseTests
{
    [Fact]
    public void Unseal_EmptyPassphraseStoreOpenedWithNulCharacter_WrongPassphrase()
    {
        // Arrange: the derivation input is exactly UTF-8(passphrase); "" and "\0" are different passphrases.
        using var identity = DeviceIdentity.Create();
        var file = KeyStoreFile.Seal(identity, "", KdfParameters.Floor, RandomSource.Default).Value!;

        // Act
        var withNul = KeyStoreFile.Unseal(file, "\0");
        var withEmpty = KeyStoreFile.Unseal(file, "");

        // Assert
        Assert.Equal(KeyStoreError.WrongPassphrase, withNul.Error);
        Assert.True(withEmpty.IsSuccess);
        Assert.Equal(identity.Id, withEmpty.Value.Id);
        withEmpty.Value.Dispose();
    }
}
