using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace SecureDialogue.Messaging.Persistence;

/// <summary>Applies migrations before the server accepts requests; any failure stops the start with a clear message.</summary>
internal sealed class DatabaseMigrationService(IServiceScopeFactory scopes, DatabaseTarget target, MigrationRunner runner) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var scope = scopes.CreateAsyncScope();
        await using (scope.ConfigureAwait(false))
        {
            var context = scope.ServiceProvider.GetRequiredService<MessagingDbContext>();
            try
            {
                await runner.ApplyAsync(context.Database.GetDbConnection(), target.Engine, cancellationToken).ConfigureAwait(false);
            }
            catch (DbException e)
            {
                // Provider messages name the host and database, never the password.
                throw new DatabaseStartupException($"The {target.Engine} database cannot be opened or migrated: {e.Message}", e);
            }
            finally
            {
                await context.Database.CloseConnectionAsync().ConfigureAwait(false);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
