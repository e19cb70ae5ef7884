using System.Security.Cryptography;
using System.Runtime.InteropServices;

namespace SecureDialogue.Cli.Passphrases;

/// <summary>
/// Reads a passphrase from the terminal key by key with echo off, into a pinned buffer that is wiped as it
/// grows. The prompt goes to standard error so that standard output stays machine-readable.
/// </summary>
internal sealed class ConsolePassphrasePrompt(TextWriter promptWriter) : IPassphrasePrompt
{
    private const int InitialCapacity = 64;
    private const int MaximumLength = 1024;

    public Passphrase? Read(string prompt)
    {
        promptWriter.Write(prompt);
        promptWriter.Flush();
        var buffer = GC.AllocateArray<char>(InitialCapacity, pinned: true);
        var length = 0;
        try
        {
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    promptWriter.WriteLine();
                    return Passphrase.CopyOf(buffer.AsSpan(0, length));
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    if (length > 0)
                    {
                        buffer[--length] = '\0';
                    }

                    continue;
                }

                // Ctrl-D on an empty line ends input, as it does for a shell.
                if (key.KeyChar == '\u0004' && length == 0)
                {
                    promptWriter.WriteLine();
                    return null;
                }

                if (char.IsControl(key.KeyChar) || length == MaximumLength)
                {
                    continue;
                }

                if (length == buffer.Length)
                {
                    var larger = GC.AllocateArray<char>(buffer.Length * 2, pinned: true);
                    buffer.AsSpan().CopyTo(larger);
                    CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(buffer.AsSpan()));
                    buffer = larger;
                }

                buffer[length++] = key.KeyChar;
            }
        }
        catch (InvalidOperationException)
        {
            // The console cannot read keys after all (no terminal behind standard input).
            promptWriter.WriteLine();
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(buffer.AsSpan()));
        }
    }
}
