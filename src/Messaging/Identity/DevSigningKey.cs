using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SecureDialogue.Messaging.Hosting;

namespace SecureDialogue.Messaging.Identity;

/// <summary>
/// The embedded profile's token signing key: ECDSA P-256 (ES256), generated once into
/// <c>DATA/dev-token-key.pem</c> (PKCS#8, mode 0600) and reused after restarts, so tokens stay valid across them.
/// Whoever reads this file can sign in as anyone; it exists only in the embedded profile.
/// </summary>
internal sealed partial class DevSigningKey : IDisposable
{
    /// <summary>The key file's name in the data directory.</summary>
    public const string FileName = "dev-token-key.pem";

    private readonly ECDsa _key;

    public DevSigningKey(IOptions<DataDirectoryOptions> data, ILogger<DevSigningKey> logger)
    {
        var path = Path.Combine(data.Value.Directory, FileName);
        _key = LoadOrCreate(path, logger);
        var publicKey = _key.ExportSubjectPublicKeyInfo();
        SecurityKey = new ECDsaSecurityKey(_key) { KeyId = Base64UrlEncoder.Encode(SHA256.HashData(publicKey)[..16]) };
        Credentials = new SigningCredentials(SecurityKey, SecurityAlgorithms.EcdsaSha256);
    }

    /// <summary>The key, for validation.</summary>
    public ECDsaSecurityKey SecurityKey { get; }

    /// <summary>The signing credentials (ES256).</summary>
    public SigningCredentials Credentials { get; }

    public void Dispose() => _key.Dispose();

    private static ECDsa LoadOrCreate(string path, ILogger logger)
    {
        var key = ECDsa.Create();
        try
        {
            if (!File.Exists(path))
            {
                key.GenerateKey(ECCurve.NamedCurves.nistP256);
                try
                {
                    var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Options = FileOptions.WriteThrough };
                    if (!OperatingSystem.IsWindows())
                    {
                        options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                    }

                    using (var writer = new StreamWriter(path, System.Text.Encoding.ASCII, options))
                    {
                        writer.Write(key.ExportPkcs8PrivateKeyPem());
                    }

                    Log.Created(logger, path);
                    return key;
                }
                catch (IOException) when (File.Exists(path))
                {
                    // Another process created it first: use theirs.
                }
            }

            if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0)
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                Log.PermissionsTightened(logger, path);
            }

            key.ImportFromPem(File.ReadAllText(path));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Created the development token signing key {Path}")]
        public static partial void Created(ILogger logger, string path);

        [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "The development token signing key {Path} was readable by others; its mode is now 0600")]
        public static partial void PermissionsTightened(ILogger logger, string path);
    }
}
