namespace SecureDialogue.Messaging.Tests.Infrastructure;

/// <summary>The checkout the tests run from (the directory holding SecureDialogue.sln).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "SecureDialogue.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SecureDialogue.sln not found above " + AppContext.BaseDirectory);
    }
}
