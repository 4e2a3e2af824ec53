UPDATE "User" SET "bio" = 'writes C' WHERE "id" = 1;
