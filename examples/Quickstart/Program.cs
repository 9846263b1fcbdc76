System.Console.WriteLine("GraphDL quickstart");
