namespace SecureDialogue.Messaging.Persistence;

/// <summary>The database cannot be used as it is; the message says why and what to do (never a password).</summary>
internal sealed class DatabaseStartupException : Exception
{
    public DatabaseStartupException(string message)
        : base(message)
    {
    }

    public DatabaseStartupException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
