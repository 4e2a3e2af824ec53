-- tags=sqlite
-- source=prisma-engines sql-introspection-tests/tests/re_introspection/sqlite.rs multiple_changed_relation_names

CREATE TABLE "Employee" (
    id INTEGER PRIMARY KEY
);

CREATE TABLE "Schedule" (
    id INTEGER PRIMARY KEY,
    "morningEmployeeId" INTEGER NOT NULL REFERENCES "Employee"("id"),
    "eveningEmployeeId" INTEGER NOT NULL REFERENCES "Employee"("id")
);

CREATE TABLE "Unrelated" (
    id INTEGER PRIMARY KEY
);

/* previous
datasource db {
  provider = "sqlite"
}

model Employee {
    id                                            Int         @id @default(autoincrement())
    A                                             Schedule[]  @relation("EmployeeToSchedule_eveningEmployeeId")
    Schedule_EmployeeToSchedule_morningEmployeeId Schedule[]  @relation("EmployeeToSchedule_morningEmployeeId")
}

model Schedule {
    id                                            Int         @id @default(autoincrement())
    morningEmployeeId                             Int
    eveningEmployeeId                             Int
    Employee_EmployeeToSchedule_eveningEmployeeId Employee    @relation("EmployeeToSchedule_eveningEmployeeId", fields: [eveningEmployeeId], references: [id], onDelete: NoAction, onUpdate: NoAction)
    Employee_EmployeeToSchedule_morningEmployeeId Employee    @relation("EmployeeToSchedule_morningEmployeeId", fields: [morningEmployeeId], references: [id], onDelete: NoAction, onUpdate: NoAction)
}
*/

/*
datasource db {
  provider = "sqlite"
}

model Employee {
  id                                            Int        @id @default(autoincrement())
  A                                             Schedule[] @relation("EmployeeToSchedule_eveningEmployeeId")
  Schedule_EmployeeToSchedule_morningEmployeeId Schedule[] @relation("EmployeeToSchedule_morningEmployeeId")
}

model Schedule {
  id                                            Int      @id @default(autoincrement())
  morningEmployeeId                             Int
  eveningEmployeeId                             Int
  Employee_EmployeeToSchedule_eveningEmployeeId Employee @relation("EmployeeToSchedule_eveningEmployeeId", fields: [eveningEmployeeId], references: [id], onDelete: NoAction, onUpdate: NoAction)
  Employee_EmployeeToSchedule_morningEmployeeId Employee @relation("EmployeeToSchedule_morningEmployeeId", fields: [morningEmployeeId], references: [id], onDelete: NoAction, onUpdate: NoAction)
}

model Unrelated {
  id Int @id @default(autoincrement())
}
*/
