using Microsoft.Data.Sqlite;
var c = new SqliteConnection("Data Source=/tmp/x.db"); c.Open(); var cmd=c.CreateCommand(); cmd.CommandText="select sqlite_version()"; Console.WriteLine(cmd.ExecuteScalar());
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health", () => "ok");

public partial class Program;
